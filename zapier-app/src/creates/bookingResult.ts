import type { BookingEventKey, BookingWriteResult } from '@calcom-oauth/shared';
import { toZapierBooking, type ZapierBooking } from '../bookingOutput';
import { sampleFor } from '../samples/booking';

/**
 * A write's result as the create's output: the booking Cal.com returned (the first occurrence of a
 * recurring one, all of them under `occurrences`), never a success message.
 */
export function toCreateResult(result: BookingWriteResult & { previousUid?: string }): ZapierBooking {
  const [first] = result.bookings;
  // The core answers with at least one booking or throws; an empty list would be its bug.
  if (first === undefined) throw new Error('The shared core returned no booking for a successful write; this is a bug in the integration.');
  return toZapierBooking(first, {
    occurrences: result.bookings,
    ...(result.recovered === undefined ? {} : { recovered: result.recovered }),
    ...(result.previousUid === undefined ? {} : { rescheduledFromUid: result.previousUid }),
  });
}

/** The static sample of a create or search, from the trigger sample of the booking state it leaves. */
export function bookingResultSample(state: BookingEventKey): ZapierBooking {
  const { event: _event, occurredAt: _occurredAt, previousStart: _previousStart, previousEnd: _previousEnd, ...fields } = sampleFor(state);
  return { ...fields, id: fields.bookingUid, recovered: null, occurrences: [] };
}
