import { randomBytes } from 'node:crypto';
import { Rng } from './rng';
import { hashSecret, Store } from './store';
import type { Attendee, Booking, BookingStatus, ClientStatus, ClientType, EventType, OAuthClient, User } from './types';

/** Credentials of a client as a developer would hold them (the store keeps only the hash). */
export interface ClientCredentials {
  clientId: string;
  /** Absent for PUBLIC clients. */
  clientSecret?: string;
  redirectUris: string[];
  scopes: string[];
  clientType: ClientType;
  status: ClientStatus;
  name: string;
}

export interface SeededUser {
  id: number;
  username: string;
  email: string;
  password: string;
}

/** What the seed created, for tests and the CLI. */
export interface SeedSummary {
  users: { alice: SeededUser; bob: SeededUser };
  clients: {
    /** CONFIDENTIAL, APPROVED, legacy scopes READ_BOOKING + READ_PROFILE. */
    legacy: ClientCredentials;
    /** CONFIDENTIAL, APPROVED, new scopes (BOOKING_READ, PROFILE_READ, EVENT_TYPE_READ, SCHEDULE_READ, BOOKING_WRITE). */
    scoped: ClientCredentials;
    /** PUBLIC (PKCE), APPROVED, BOOKING_READ + PROFILE_READ. */
    public: ClientCredentials;
    /** CONFIDENTIAL, PENDING, owned by alice. */
    pending: ClientCredentials;
    /** CONFIDENTIAL, REJECTED. */
    rejected: ClientCredentials;
  };
}

export interface ClientRegistration {
  name?: string;
  clientType?: ClientType;
  status?: ClientStatus;
  redirectUris: string[];
  scopes?: string[];
  isTrusted?: boolean;
  ownerUserId?: number | null;
  /** Defaults to 64 random hex characters, like Cal.com. */
  clientId?: string;
  /** Defaults to 64 random hex characters for CONFIDENTIAL clients. */
  clientSecret?: string;
}

const MAX_REDIRECT_URIS = 10;

/** Cal.com's `validateRedirectUris`: https, except http on loopback and *.local; no fragment; no duplicates. */
export function validateRedirectUris(uris: string[]): void {
  if (uris.length === 0) throw new Error('registerClient: at least one redirect URI is required');
  if (uris.length > MAX_REDIRECT_URIS) throw new Error(`registerClient: at most ${MAX_REDIRECT_URIS} redirect URIs`);
  if (new Set(uris).size !== uris.length) throw new Error('registerClient: duplicate redirect URIs');
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new Error(`registerClient: not a URL: ${uri}`);
    }
    if (url.hash) throw new Error(`registerClient: redirect URI must not have a fragment: ${uri}`);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.local');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new Error(`registerClient: redirect URI must be https (http only on localhost): ${uri}`);
    }
  }
}

export function registerClient(store: Store, registration: ClientRegistration): ClientCredentials {
  validateRedirectUris(registration.redirectUris);
  const clientType = registration.clientType ?? 'CONFIDENTIAL';
  const clientId = registration.clientId ?? randomBytes(32).toString('hex');
  if (store.clients.has(clientId)) throw new Error(`registerClient: client ${clientId} exists`);
  const clientSecret = clientType === 'CONFIDENTIAL' ? (registration.clientSecret ?? randomBytes(32).toString('hex')) : undefined;
  const client: OAuthClient = {
    clientId,
    name: registration.name ?? 'Test client',
    clientSecretHash: clientSecret === undefined ? null : hashSecret(clientSecret),
    clientType,
    status: registration.status ?? 'APPROVED',
    redirectUris: [...registration.redirectUris],
    scopes: [...(registration.scopes ?? [])],
    isTrusted: registration.isTrusted ?? false,
    userId: registration.ownerUserId ?? null,
    logo: null,
  };
  store.clients.set(clientId, client);
  return {
    clientId,
    ...(clientSecret === undefined ? {} : { clientSecret }),
    redirectUris: [...client.redirectUris],
    scopes: [...client.scopes],
    clientType,
    status: client.status,
    name: client.name,
  };
}

/** Redirect URIs every seeded client accepts: a loopback callback, Zapier's and n8n's usual ones. */
export const DEFAULT_REDIRECT_URIS = [
  'http://127.0.0.1:8788/callback',
  'https://zapier.com/dashboard/auth/oauth/return/CalcomOAuthCLIAPI/',
  'http://localhost:5678/rest/oauth2-credential/callback',
];

export interface SeedOptions {
  seed: number;
  bookings: number;
  userPassword: string;
  redirectUris: string[];
  now: number;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A Cal.com-looking booking uid (22 base58 characters). */
export function bookingUid(rng: Rng): string {
  let uid = '';
  for (let i = 0; i < 22; i += 1) uid += BASE58[rng.int(0, BASE58.length - 1)];
  return uid;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman'];

export function randomAttendee(rng: Rng): Attendee {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return {
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${rng.int(1, 999)}@example.org`,
    timeZone: rng.pick(['Europe/London', 'America/New_York', 'Asia/Tokyo', 'Europe/Berlin']),
    language: rng.pick(['en', 'de', 'fr']),
    absent: false,
  };
}

function seedUsers(store: Store, password: string): { alice: User; bob: User } {
  const make = (id: number, username: string, name: string, timeZone: string): User => ({
    id, username, name, timeZone, password,
    email: `${username}@example.com`,
    weekStart: 'Monday', timeFormat: 24, bio: null, avatarUrl: null,
    defaultScheduleId: id, organizationId: null,
  });
  const alice = make(1, 'alice', 'Alice Example', 'Europe/London');
  const bob = make(2, 'bob', 'Bob Example', 'America/New_York');
  for (const user of [alice, bob]) {
    store.users.set(user.id, user);
    store.schedules.set(user.id, {
      id: user.id, ownerId: user.id, name: 'Working hours', timeZone: user.timeZone, isDefault: true,
      availability: [{ days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], startTime: '09:00', endTime: '17:00' }],
    });
  }
  let eventTypeId = 1;
  for (const user of [alice, bob]) {
    for (const [title, slug, length, requiresConfirmation] of [
      ['30 min meeting', '30min', 30, false], ['60 min meeting', '60min', 60, false], ['Consultation', 'consultation', 45, true],
    ] as const) {
      store.eventTypes.set(eventTypeId, {
        id: eventTypeId, userId: user.id, title, slug, lengthInMinutes: length, description: `${title} with ${user.name}`,
        requiresConfirmation, hidden: false, locations: [{ type: 'integrations:daily' }], scheduleId: user.id,
        ...ACTION_DEFAULTS,
      });
      eventTypeId += 1;
    }
  }
  return { alice, bob };
}

/** What Cal.com gives a new event type: 120 minutes of notice, no window, no questions. */
const ACTION_DEFAULTS = {
  lengthInMinutesOptions: null, slotInterval: null, minimumBookingNotice: 120, bookingWindowDays: null, recurrence: null, bookingFields: [],
} satisfies Partial<EventType>;

/**
 * Alice's event types for the booking actions (ids 7–10), added after the seeded bookings so the seeded data
 * stays what it was: required custom questions, several durations, confirmation required, weekly recurring.
 */
function seedActionEventTypes(store: Store, alice: User): void {
  const base = {
    userId: alice.id, hidden: false, locations: [{ type: 'integrations:daily' }], scheduleId: alice.id, requiresConfirmation: false, ...ACTION_DEFAULTS,
  };
  const add = (eventType: Omit<EventType, 'userId' | 'hidden' | 'locations' | 'scheduleId'> & Partial<EventType>): void => {
    store.eventTypes.set(eventType.id, { ...base, ...eventType });
  };
  add({
    ...ACTION_DEFAULTS, id: 7, title: 'Discovery call', slug: 'discovery', lengthInMinutes: 30, description: 'Tell us about your project', requiresConfirmation: false,
    locations: [{ type: 'integrations:daily' }, { type: 'phone' }],
    bookingFields: [
      { type: 'text', slug: 'company', label: 'Company', required: true },
      { type: 'select', slug: 'budget', label: 'Budget', required: true, options: ['<10k', '10k-50k', '>50k'] },
      { type: 'radio', slug: 'source', label: 'How did you hear about us?', required: false, options: ['search', 'friend', 'ad'] },
      { type: 'number', slug: 'seats', label: 'Team size', required: false },
      { type: 'textarea', slug: 'notes', label: 'Anything else?', required: false },
    ],
  });
  add({ ...ACTION_DEFAULTS, id: 8, title: 'Flexible meeting', slug: 'flexible', lengthInMinutes: 30, lengthInMinutesOptions: [15, 30, 60], slotInterval: 15, description: 'Pick a length', requiresConfirmation: false });
  add({ ...ACTION_DEFAULTS, id: 9, title: 'Intro (needs approval)', slug: 'intro-approval', lengthInMinutes: 30, description: 'The host confirms each request', requiresConfirmation: true });
  add({ ...ACTION_DEFAULTS, id: 10, title: 'Weekly coaching', slug: 'weekly-coaching', lengthInMinutes: 60, description: 'Four weekly sessions', requiresConfirmation: false, recurrence: { frequency: 'weekly', interval: 1, occurrences: 4 } });
}

function seedBookings(store: Store, rng: Rng, count: number, now: number, users: { alice: User; bob: User }): void {
  const day = 86_400_000;
  for (let i = 0; i < count; i += 1) {
    const organizer = rng.chance(0.75) ? users.alice : users.bob;
    const eventType = rng.pick(store.eventTypesOf(organizer.id));
    // Quarter-hour slots within ±30 days of now.
    const start = now - 30 * day + rng.int(0, 60 * 24 * 4 - 1) * 15 * 60_000;
    const createdAt = Math.min(now - 60_000, start - rng.int(1, 14 * 24) * 3_600_000);
    const attendees = [randomAttendee(rng)];
    // Some of bob's bookings have alice as attendee, so "as attendee" visibility is exercised.
    if (organizer === users.bob && rng.chance(0.3)) {
      attendees.push({ name: users.alice.name, email: users.alice.email, timeZone: users.alice.timeZone, language: 'en', absent: false });
    }
    let status: BookingStatus = eventType.requiresConfirmation ? 'PENDING' : 'ACCEPTED';
    const roll = rng.next();
    let cancellationReason: string | null = null;
    if (roll < 0.1) {
      status = 'CANCELLED';
      cancellationReason = rng.chance(0.5) ? 'Schedule conflict' : null;
    } else if (roll < 0.13) status = 'REJECTED';
    else if (eventType.requiresConfirmation && start < now) status = rng.chance(0.7) ? 'ACCEPTED' : 'REJECTED';
    const updated = status !== 'ACCEPTED' || rng.chance(0.4);
    const uid = bookingUid(rng);
    const booking: Booking = {
      id: store.takeBookingId(), uid, userId: organizer.id, eventTypeId: eventType.id,
      title: `${eventType.title} between ${organizer.name} and ${attendees[0]?.name ?? 'Guest'}`,
      description: '', status, start, end: start + eventType.lengthInMinutes * 60_000, attendees, guests: [],
      location: `https://app.cal.video/${uid}`, cancellationReason,
      cancelledByEmail: status === 'CANCELLED' ? organizer.email : null,
      reschedulingReason: null, rescheduledByEmail: null, fromReschedule: null, rescheduledToUid: null,
      recurringEventId: null, absentHost: false, rating: null, icsUid: `${uid}@Cal.com`, metadata: {},
      bookingFieldsResponses: { name: attendees[0]?.name, email: attendees[0]?.email },
      createdAt, updatedAt: updated ? Math.min(now - 1000, createdAt + rng.int(1, 48) * 3_600_000) : null,
    };
    store.addBooking(booking);
  }
}

/** A weekly recurring series and a round-robin booking awaiting a host, so every status shape exists. */
function seedSpecialBookings(store: Store, rng: Rng, now: number, alice: User): void {
  const eventType = store.eventTypesOf(alice.id)[0];
  if (!eventType) return;
  const recurringEventId = `rec-${bookingUid(rng)}`;
  const firstStart = Math.ceil(now / 3_600_000) * 3_600_000 - 7 * 86_400_000 + 10 * 3_600_000;
  const make = (start: number, status: BookingStatus, recurring: string | null): void => {
    const uid = bookingUid(rng);
    const attendee = randomAttendee(rng);
    store.addBooking({
      id: store.takeBookingId(), uid, userId: alice.id, eventTypeId: eventType.id,
      title: `${eventType.title} between ${alice.name} and ${attendee.name}`, description: '', status, start,
      end: start + eventType.lengthInMinutes * 60_000, attendees: [attendee], guests: [], location: `https://app.cal.video/${uid}`,
      cancellationReason: null, cancelledByEmail: null, reschedulingReason: null, rescheduledByEmail: null,
      fromReschedule: null, rescheduledToUid: null, recurringEventId: recurring, absentHost: false, rating: null,
      icsUid: `${uid}@Cal.com`, metadata: {}, bookingFieldsResponses: { name: attendee.name, email: attendee.email },
      createdAt: now - 10 * 86_400_000, updatedAt: null,
    });
  };
  for (let week = 0; week < 4; week += 1) make(firstStart + week * 7 * 86_400_000, 'ACCEPTED', recurringEventId);
  make(firstStart + 9 * 86_400_000 + 2 * 3_600_000, 'AWAITING_HOST', null);
}

/** Builds the deterministic seed: two users, their event types and schedules, five clients, bookings. */
export function seedStore(store: Store, options: SeedOptions): SeedSummary {
  const rng = new Rng(options.seed);
  const { alice, bob } = seedUsers(store, options.userPassword);
  const deterministicId = (): string => rng.hex(32);
  const client = (registration: Omit<ClientRegistration, 'redirectUris' | 'clientId'>): ClientCredentials =>
    registerClient(store, { ...registration, clientId: deterministicId(), redirectUris: options.redirectUris });
  const clients = {
    legacy: client({ name: 'Legacy-scoped app', scopes: ['READ_BOOKING', 'READ_PROFILE'] }),
    // Registers the default scopes of both adapters (shared/src/default-scopes.ts), instant triggers' webhook scopes included.
    scoped: client({ name: 'Scoped app', scopes: ['BOOKING_READ', 'PROFILE_READ', 'EVENT_TYPE_READ', 'SCHEDULE_READ', 'BOOKING_WRITE', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE'] }),
    public: client({ name: 'Public PKCE app', clientType: 'PUBLIC', scopes: ['BOOKING_READ', 'PROFILE_READ'] }),
    pending: client({ name: 'Pending app (alice)', status: 'PENDING', ownerUserId: alice.id, scopes: ['BOOKING_READ', 'PROFILE_READ'] }),
    rejected: client({ name: 'Rejected app', status: 'REJECTED', scopes: ['BOOKING_READ', 'PROFILE_READ'] }),
  };
  seedBookings(store, rng, options.bookings, options.now, { alice, bob });
  if (options.bookings >= 10) seedSpecialBookings(store, rng, options.now, alice);
  seedActionEventTypes(store, alice);
  const summary = (u: User): SeededUser => ({ id: u.id, username: u.username, email: u.email, password: u.password });
  return { users: { alice: summary(alice), bob: summary(bob) }, clients };
}
