/** The booking operations (issue 11): request builders, exact response processors, and the safe high-level calls. */
export type { ActionContext } from './context';
export { BOOKING_REFUSALS } from './refusals';
export { type BookingWriteResult } from './safe-write';
export * from './catalogue';
export * from './create';
export {
  buildCancelBookingRequest,
  processCancelBookingResponse,
  buildRescheduleBookingRequest,
  processRescheduleBookingResponse,
  buildConfirmBookingRequest,
  processConfirmBookingResponse,
  buildDeclineBookingRequest,
  processDeclineBookingResponse,
  cancelBooking,
  rescheduleBooking,
  confirmBooking,
  declineBooking,
  type CancelBookingInput,
  type RescheduleBookingInput,
} from './lifecycle';
export * from './attendance';
export * from './reads';
export * from './slots';
export * from './event-type';
