import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'booking_cancelled',
  noun: 'Booking',
  label: 'Booking Cancelled',
  description: 'Triggers when a booking is cancelled (a reschedule does not count as a cancellation).',
});

export default trigger;
