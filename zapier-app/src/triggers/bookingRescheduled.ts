import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'booking_rescheduled',
  noun: 'Booking',
  label: 'Booking Rescheduled',
  description: 'Triggers when a booking is moved to a new time.',
  confirmable: true,
});

export default trigger;
