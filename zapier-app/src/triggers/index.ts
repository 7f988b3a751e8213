import bookingCancelled from './bookingCancelled';
import bookingCreated from './bookingCreated';
import bookingRejected from './bookingRejected';
import bookingRequested from './bookingRequested';
import bookingRescheduled from './bookingRescheduled';
import bookingUpdated from './bookingUpdated';
import meetingEnded from './meetingEnded';

/** One polling trigger per booking event of the shared engine, in the order the trigger picker shows them. */
export const bookingTriggers = [
  bookingCreated,
  bookingRescheduled,
  bookingCancelled,
  bookingRequested,
  bookingRejected,
  meetingEnded,
  bookingUpdated,
] as const;
