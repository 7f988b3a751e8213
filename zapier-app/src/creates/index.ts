import addGuests from './addGuests';
import cancelBooking from './cancelBooking';
import confirmBooking from './confirmBooking';
import createBooking from './createBooking';
import declineBooking from './declineBooking';
import markNoShow from './markNoShow';
import rescheduleBooking from './rescheduleBooking';

/** Every create, in the order the Zap editor lists them. */
export const bookingCreates = [createBooking, cancelBooking, rescheduleBooking, confirmBooking, declineBooking, markNoShow, addGuests];
