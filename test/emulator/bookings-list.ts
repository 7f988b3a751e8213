import type { BookingsQuery, BookingStatusFilter, SortDirection, SortField } from './bookings-query';
import type { Store } from './store';
import type { Booking, User } from './types';

const CLOSED = new Set(['CANCELLED', 'REJECTED']);

/** Cal.com's status filters (shared/CALCOM.md §10), against the emulator clock's `now`. */
export function matchesStatus(booking: Booking, status: BookingStatusFilter, now: number): boolean {
  switch (status) {
    case 'upcoming':
      if (booking.end < now) return false;
      return booking.recurringEventId ? booking.status === 'ACCEPTED' : !CLOSED.has(booking.status);
    case 'recurring':
      return booking.recurringEventId !== null && booking.end >= now && !CLOSED.has(booking.status);
    case 'past':
      return booking.end <= now && !CLOSED.has(booking.status);
    case 'cancelled':
      return CLOSED.has(booking.status);
    case 'unconfirmed':
      return booking.end >= now && booking.status === 'PENDING';
  }
}

function fieldValue(booking: Booking, field: SortField): number | null {
  return field === 'start' ? booking.start : field === 'end' ? booking.end : field === 'createdAt' ? booking.createdAt : booking.updatedAt;
}

/** Postgres ordering: NULLs sort as larger than any value (last in asc, first in desc); ties by id. */
function comparator(field: SortField, direction: SortDirection): (a: Booking, b: Booking) => number {
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const va = fieldValue(a, field);
    const vb = fieldValue(b, field);
    if (va !== vb) {
      if (va === null) return sign;
      if (vb === null) return -sign;
      return (va - vb) * sign;
    }
    return a.id - b.id;
  };
}

export interface Pagination {
  totalItems: number;
  remainingItems: number;
  returnedItems: number;
  itemsPerPage: number;
  currentPage: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** `apps/api/v2/src/lib/pagination/pagination.ts`. */
export function paginationOf(total: number, skip: number, take: number, returned: number): Pagination {
  return {
    totalItems: total,
    remainingItems: Math.max(0, total - (skip + take)),
    returnedItems: returned,
    itemsPerPage: take,
    currentPage: total === 0 ? 0 : Math.floor(skip / take) + 1,
    totalPages: Math.ceil(total / take),
    hasNextPage: skip + take < total,
    hasPreviousPage: skip > 0,
  };
}

/** Filters, sorts and pages the bookings `user` can see. */
export function listBookings(store: Store, user: User, query: BookingsQuery, now: number): { items: Booking[]; pagination: Pagination } {
  const attendeeEmail = query.attendeeEmail?.toLowerCase();
  const attendeeName = query.attendeeName?.toLowerCase();
  const eventTypeIds = query.eventTypeIds ? new Set(query.eventTypeIds) : undefined;
  const matched = store.bookingsVisibleTo(user).filter((b) => {
    if (query.statuses.length > 0 && !query.statuses.some((s) => matchesStatus(b, s, now))) return false;
    if (query.bookingUid !== undefined && b.uid !== query.bookingUid) return false;
    if (eventTypeIds && !eventTypeIds.has(b.eventTypeId)) return false;
    if (attendeeEmail !== undefined && !b.attendees.some((a) => a.email.toLowerCase() === attendeeEmail)) return false;
    if (attendeeName !== undefined && !b.attendees.some((a) => a.name.toLowerCase().includes(attendeeName))) return false;
    if (query.afterStart !== undefined && b.start < query.afterStart) return false;
    if (query.beforeEnd !== undefined && b.end > query.beforeEnd) return false;
    if (query.afterCreatedAt !== undefined && b.createdAt < query.afterCreatedAt) return false;
    if (query.beforeCreatedAt !== undefined && b.createdAt > query.beforeCreatedAt) return false;
    if (query.afterUpdatedAt !== undefined && (b.updatedAt === null || b.updatedAt < query.afterUpdatedAt)) return false;
    if (query.beforeUpdatedAt !== undefined && (b.updatedAt === null || b.updatedAt > query.beforeUpdatedAt)) return false;
    return true;
  });
  let sort = query.sort;
  if (!sort) {
    const only = query.statuses.length === 1 ? query.statuses[0] : undefined;
    sort = { field: 'start', direction: only === 'past' || only === 'cancelled' ? 'desc' : 'asc' };
  }
  matched.sort(comparator(sort.field, sort.direction));
  const items = matched.slice(query.skip, query.skip + query.take);
  return { items, pagination: paginationOf(matched.length, query.skip, query.take, items.length) };
}
