import findAvailableSlots from './findAvailableSlots';
import findBooking from './findBooking';
import findEventType from './findEventType';

/** Every search, in the order the Zap editor lists them. */
export const bookingSearches = [findBooking, findAvailableSlots, findEventType];
