/** Records held by the emulator's store. Times are epoch milliseconds from the emulator clock. */

export interface User {
  id: number;
  username: string;
  email: string;
  name: string;
  password: string;
  timeZone: string;
  weekStart: string;
  timeFormat: number;
  bio: string | null;
  avatarUrl: string | null;
  defaultScheduleId: number | null;
  organizationId: number | null;
}

export type ClientType = 'CONFIDENTIAL' | 'PUBLIC';
export type ClientStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface OAuthClient {
  clientId: string;
  name: string;
  /** sha256 hex of the secret; null for PUBLIC clients. */
  clientSecretHash: string | null;
  clientType: ClientType;
  status: ClientStatus;
  /** Exact-match list, at most 10. Legacy eras use only the first. */
  redirectUris: string[];
  scopes: string[];
  isTrusted: boolean;
  /** Owner, who may use the client while it is PENDING. */
  userId: number | null;
  logo: string | null;
}

export interface EventType {
  id: number;
  userId: number;
  title: string;
  slug: string;
  lengthInMinutes: number;
  description: string;
  requiresConfirmation: boolean;
  hidden: boolean;
  locations: Array<{ type: string; link?: string; address?: string }>;
  scheduleId: number | null;
  /** Other durations a booker may pick (`lengthInMinutesOptions`); null for a single length. */
  lengthInMinutesOptions: number[] | null;
  /** Minutes between slot starts; null means the event's length. */
  slotInterval: number | null;
  /** Minutes from now before which nothing can be booked. */
  minimumBookingNotice: number;
  /** Rolling booking window in days from now; null for no limit. */
  bookingWindowDays: number | null;
  /** Weekly recurrence; a create then books `occurrences` bookings and answers an array. */
  recurrence: { frequency: 'weekly'; interval: number; occurrences: number } | null;
  /** Custom booking questions (system fields such as name and email are implied). */
  bookingFields: BookingField[];
  /** A team event type (round-robin or collective); absent or null for a personal one. */
  teamId?: number | null;
}

/** A custom question of an event type, as `GET /v2/event-types/{id}` (2024-06-14) prints it. */
export interface BookingField {
  type: 'text' | 'textarea' | 'number' | 'select' | 'multiselect' | 'radio' | 'checkbox' | 'boolean' | 'phone' | 'url' | 'multiemail';
  slug: string;
  label: string;
  required: boolean;
  options?: string[];
}

export interface Schedule {
  id: number;
  ownerId: number;
  name: string;
  timeZone: string;
  isDefault: boolean;
  availability: Array<{ days: string[]; startTime: string; endTime: string }>;
}

export type BookingStatus = 'ACCEPTED' | 'CANCELLED' | 'REJECTED' | 'PENDING' | 'AWAITING_HOST';

export interface Attendee {
  name: string;
  email: string;
  timeZone: string;
  language: string;
  absent: boolean;
  phoneNumber?: string;
}

export interface Booking {
  id: number;
  uid: string;
  userId: number;
  eventTypeId: number;
  title: string;
  description: string;
  status: BookingStatus;
  start: number;
  end: number;
  attendees: Attendee[];
  guests: string[];
  location: string;
  cancellationReason: string | null;
  cancelledByEmail: string | null;
  reschedulingReason: string | null;
  rescheduledByEmail: string | null;
  /** Cal.com's `fromReschedule`: the uid this booking replaced. */
  fromReschedule: string | null;
  /** Derived index: the booking that replaced this one (Cal.com looks it up by `fromReschedule`). */
  rescheduledToUid: string | null;
  recurringEventId: string | null;
  /** The host asked the attendee to book again (Cal.com's `rescheduled: true` without a replacement). */
  rescheduleRequested?: boolean;
  absentHost: boolean;
  rating: number | null;
  icsUid: string;
  metadata: Record<string, string>;
  bookingFieldsResponses: Record<string, unknown>;
  createdAt: number;
  /** Null until the first update, as in Cal.com's schema. */
  updatedAt: number | null;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  userId: number | null;
  teamId: number | null;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  expiresAt: number;
}

/** 2026 `OAuthRefreshToken` row: the secret carried by the live refresh JWT of (client, user). */
export interface RefreshTokenRow {
  secret: string;
  clientId: string;
  userId: number | null;
  teamId: number | null;
}

/**
 * A Cal.com `Webhook` row: a Zapier subscription (`appId: "zapier"`, flat body), a user webhook
 * (`/v2/webhooks`: `userId`, no `eventTypeId`) or an event-type webhook (`eventTypeId` set).
 */
export interface Webhook {
  id: string;
  /** The owner; for an event-type webhook, the event type's owner. */
  userId: number;
  teamId: number | null;
  eventTypeId: number | null;
  eventTriggers: string[];
  subscriberUrl: string;
  active: boolean;
  /** `zapier` for the legacy Zapier subscriptions; null for API v2 webhooks. */
  appId: string | null;
  createdAt: number;
  payloadTemplate: string | null;
  secret: string | null;
  platform: boolean;
  time: number | null;
  timeUnit: string | null;
  version: string;
}
