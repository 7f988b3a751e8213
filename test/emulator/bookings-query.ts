/** `GetBookingsInput_2024_08_13` (shared/CALCOM.md §10): parse and validate the query like class-validator. */

export const BOOKING_STATUS_FILTERS = ['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'] as const;
export type BookingStatusFilter = (typeof BOOKING_STATUS_FILTERS)[number];

export type SortField = 'start' | 'end' | 'createdAt' | 'updatedAt';
export type SortDirection = 'asc' | 'desc';

export interface BookingsQuery {
  statuses: BookingStatusFilter[];
  attendeeEmail?: string;
  attendeeName?: string;
  bookingUid?: string;
  eventTypeIds?: number[];
  afterStart?: number;
  beforeEnd?: number;
  afterCreatedAt?: number;
  beforeCreatedAt?: number;
  afterUpdatedAt?: number;
  beforeUpdatedAt?: number;
  sort?: { field: SortField; direction: SortDirection };
  take: number;
  skip: number;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Sort parameters in the precedence Cal.com applies: the first one present wins. */
const SORT_PARAMS: Array<[string, SortField]> = [
  ['sortStart', 'start'], ['sortEnd', 'end'], ['sortCreated', 'createdAt'], ['sortUpdatedAt', 'updatedAt'],
];

const DATE_PARAMS = ['afterStart', 'beforeEnd', 'afterCreatedAt', 'beforeCreatedAt', 'afterUpdatedAt', 'beforeUpdatedAt'] as const;

function csvInts(raw: string, name: string, errors: string[]): number[] {
  const values = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const ints = values.map(Number);
  if (ints.some((n) => !Number.isInteger(n))) errors.push(`${name} must be a comma separated list of integers`);
  return ints;
}

export function parseBookingsQuery(query: URLSearchParams): { ok: true; query: BookingsQuery } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const result: BookingsQuery = { statuses: [], take: 100, skip: 0 };

  const status = query.get('status');
  if (status !== null) {
    const values = status.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    for (const value of values) {
      if (!(BOOKING_STATUS_FILTERS as readonly string[]).includes(value)) {
        errors.push(`status must be one of the following values: ${BOOKING_STATUS_FILTERS.join(', ')}`);
        break;
      }
    }
    result.statuses = [...new Set(values)] as BookingStatusFilter[];
  }
  const attendeeEmail = query.get('attendeeEmail');
  // Cal.com's transform: a `+` in an unencoded email arrives as a space.
  if (attendeeEmail !== null) result.attendeeEmail = attendeeEmail.replace(/\s/g, '+');
  const attendeeName = query.get('attendeeName');
  if (attendeeName !== null) result.attendeeName = attendeeName;
  const bookingUid = query.get('bookingUid');
  if (bookingUid !== null) result.bookingUid = bookingUid;

  const ids: number[] = [];
  const eventTypeIds = query.get('eventTypeIds');
  if (eventTypeIds !== null) ids.push(...csvInts(eventTypeIds, 'eventTypeIds', errors));
  const eventTypeId = query.get('eventTypeId');
  if (eventTypeId !== null) ids.push(...csvInts(eventTypeId, 'eventTypeId', errors));
  if (eventTypeIds !== null || eventTypeId !== null) result.eventTypeIds = ids;

  for (const name of DATE_PARAMS) {
    const raw = query.get(name);
    if (raw === null) continue;
    const ms = Date.parse(raw);
    if (!ISO_8601.test(raw) || Number.isNaN(ms)) errors.push(`${name} must be a valid ISO 8601 date string`);
    else result[name] = ms;
  }

  for (const [param, field] of SORT_PARAMS) {
    const raw = query.get(param);
    if (raw === null) continue;
    if (raw !== 'asc' && raw !== 'desc') {
      errors.push(`${param} must be one of the following values: asc, desc`);
      continue;
    }
    result.sort ??= { field, direction: raw };
  }

  const take = query.get('take');
  if (take !== null) {
    const n = Number(take);
    if (!Number.isInteger(n)) errors.push('take must be an integer number');
    else if (n < 1) errors.push('take must not be less than 1');
    else if (n > 250) errors.push('take must not be greater than 250');
    else result.take = n;
  }
  const skip = query.get('skip');
  if (skip !== null) {
    const n = Number(skip);
    if (!Number.isInteger(n)) errors.push('skip must be an integer number');
    else if (n < 0) errors.push('skip must not be less than 0');
    else result.skip = n;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, query: result };
}
