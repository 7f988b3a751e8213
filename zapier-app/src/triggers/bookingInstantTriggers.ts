import bookingCancelledInstant from './bookingCancelledInstant';
import bookingCreatedInstant from './bookingCreatedInstant';
import bookingRejectedInstant from './bookingRejectedInstant';
import bookingRequestedInstant from './bookingRequestedInstant';
import bookingRescheduledInstant from './bookingRescheduledInstant';
import bookingUpdatedInstant from './bookingUpdatedInstant';

/**
 * One instant (REST hook) trigger per event Cal.com pushes (the core's INSTANT_BOOKING_EVENT_KEYS:
 * every booking event but "Meeting Ended"), beside the polling triggers, in the same picker order.
 */
export const bookingInstantTriggers = [
  bookingCreatedInstant,
  bookingRescheduledInstant,
  bookingCancelledInstant,
  bookingRequestedInstant,
  bookingRejectedInstant,
  bookingUpdatedInstant,
] as const;
