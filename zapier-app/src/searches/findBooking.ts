import { defineSearch, type SearchPerform } from 'zapier-platform-core';
import { CalcomError, findBookings, getBooking, type Booking, type FindBookingsFilters } from '@calcom-oauth/shared';
import { BOOKING_RESULT_OUTPUT_FIELDS, toZapierBooking, type ZapierBooking } from '../bookingOutput';
import { withZapierErrors } from '../errors';
import { actionContextFor } from '../creates/actionContext';
import { bookingResultSample } from '../creates/bookingResult';
import { findBookingDisplay } from '../creates/wording';
import { optionalNumber, optionalText, textList } from '../creates/zapierInputs';

/** Bookings a filtered search returns, newest first; Zapier uses the first one. */
export const FIND_BOOKING_LIMIT = 10;

const STATUS_CHOICES = [
  { value: 'upcoming', label: 'Upcoming', sample: 'upcoming' },
  { value: 'unconfirmed', label: 'Unconfirmed (Waiting for Confirmation)', sample: 'unconfirmed' },
  { value: 'past', label: 'Past', sample: 'past' },
  { value: 'cancelled', label: 'Cancelled', sample: 'cancelled' },
  { value: 'recurring', label: 'Recurring', sample: 'recurring' },
];

type Status = NonNullable<FindBookingsFilters['status']>[number];

function filtersOf(input: Record<string, unknown>): FindBookingsFilters {
  const attendeeEmail = optionalText(input.attendeeEmail);
  const afterStart = optionalText(input.afterStart);
  const beforeEnd = optionalText(input.beforeEnd);
  const eventTypeId = optionalNumber(input.eventTypeId);
  const status = textList(input.status) as Status[];
  return {
    ...(attendeeEmail === undefined ? {} : { attendeeEmail }),
    ...(status.length === 0 ? {} : { status }),
    ...(afterStart === undefined ? {} : { afterStart }),
    ...(beforeEnd === undefined ? {} : { beforeEnd }),
    ...(eventTypeId === undefined ? {} : { eventTypeIds: [eventTypeId] }),
  };
}

/** A uid Cal.com does not know is "nothing found", which Zapier shows as such (an empty list), not a failure. */
async function byUid(find: () => Promise<Booking>): Promise<Booking[]> {
  try {
    return [await find()];
  } catch (error) {
    if (error instanceof CalcomError && error.kind === 'not_found') return [];
    throw error;
  }
}

export const perform = (async (z, bundle) =>
  withZapierErrors(z, 'run', async () => {
    const input = bundle.inputData as Record<string, unknown>;
    const ctx = actionContextFor(z, bundle);
    const uid = optionalText(input.uid);
    if (uid !== undefined) return (await byUid(() => getBooking(ctx, uid))).map((booking) => toZapierBooking(booking));
    const filters = filtersOf(input);
    if (filters.attendeeEmail === undefined) {
      throw new CalcomError('invalid_input', 'Give a Booking UID, or an Attendee Email to search the bookings of (the other filters narrow that search).');
    }
    return (await findBookings(ctx, filters, { limit: FIND_BOOKING_LIMIT })).map((booking) => toZapierBooking(booking));
  }, bundle)) satisfies SearchPerform<Record<string, unknown>, ZapierBooking>;

export default defineSearch({
  key: 'find_booking',
  noun: 'Booking',
  display: findBookingDisplay(),
  operation: {
    perform,
    inputFields: [
      { key: 'uid', label: 'Booking UID', required: false, helpText: 'Finds exactly this booking. Leave empty to search by attendee email instead.' },
      { key: 'attendeeEmail', label: 'Attendee Email', required: false, helpText: 'Finds the bookings of this attendee, newest first.' },
      { key: 'status', label: 'Status', required: false, list: true, choices: STATUS_CHOICES, helpText: 'Only bookings with one of these statuses.' },
      { key: 'afterStart', label: 'Starts After', required: false, type: 'datetime', helpText: 'Only bookings starting after this time (ISO-8601 with an offset or Z).' },
      { key: 'beforeEnd', label: 'Ends Before', required: false, type: 'datetime', helpText: 'Only bookings ending before this time (ISO-8601 with an offset or Z).' },
      { key: 'eventTypeId', label: 'Event Type', required: false, dynamic: 'event_type_list.id.title', helpText: 'Only bookings of this event type.' },
    ],
    outputFields: BOOKING_RESULT_OUTPUT_FIELDS,
    sample: bookingResultSample('booking_created'),
  },
});
