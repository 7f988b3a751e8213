import { exampleBookingEvent, type BookingEventKey } from '@calcom-oauth/shared';
import { toZapierBookingEvent, type ZapierBookingEvent } from '../bookingOutput';

/** The static sample of the trigger for `event`: the core's example event, mapped like live items. */
export function sampleFor(event: BookingEventKey): ZapierBookingEvent {
  return toZapierBookingEvent(exampleBookingEvent(event));
}
