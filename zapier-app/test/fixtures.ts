import { randomBytes } from 'node:crypto';

let nextId = 5000;

/** A booking as GET /v2/bookings (2024-08-13) returns it; uids are minted per run. */
export function booking(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  nextId += 1;
  const createdAt = (overrides.createdAt as string | undefined) ?? '2026-11-20T09:00:00.000Z';
  return {
    id: nextId,
    uid: randomBytes(11).toString('base64url'),
    title: `Intro call ${nextId}`,
    description: null,
    hosts: [{ id: 1, name: 'Host Person', email: 'host@example.com', username: 'host', timeZone: 'Europe/Berlin' }],
    status: 'accepted',
    cancellationReason: '',
    cancelledByEmail: '',
    reschedulingReason: null,
    rescheduledFromUid: null,
    rescheduledToUid: null,
    rescheduledByEmail: null,
    start: '2026-12-01T10:00:00.000Z',
    end: '2026-12-01T10:30:00.000Z',
    duration: 30,
    eventTypeId: 12,
    eventType: { id: 12, slug: 'intro' },
    location: 'https://meet.example.com/x',
    meetingUrl: 'https://meet.example.com/x',
    absentHost: false,
    createdAt,
    updatedAt: createdAt,
    metadata: {},
    rating: null,
    icsUid: null,
    attendees: [{ name: 'Guest One', email: 'guest1@example.com', timeZone: 'America/Chicago', language: 'en', absent: false }],
    guests: [],
    bookingFieldsResponses: { name: 'Guest One', email: 'guest1@example.com' },
    ...overrides,
  };
}

/** A 2024-08-13 bookings page holding `data`, with pagination that says whether more follow. */
export function bookingsPage(data: Record<string, unknown>[], { total = data.length, skip = 0 }: { total?: number; skip?: number } = {}) {
  const take = Math.max(data.length, 1);
  return {
    status: 'success',
    data,
    pagination: {
      totalItems: total,
      remainingItems: Math.max(0, total - (skip + data.length)),
      returnedItems: data.length,
      itemsPerPage: take,
      currentPage: total === 0 ? 0 : Math.floor(skip / take) + 1,
      totalPages: Math.ceil(total / take),
      hasNextPage: skip + data.length < total,
      hasPreviousPage: skip > 0,
    },
  };
}
