import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'booking_rejected',
  noun: 'Booking',
  label: 'Booking Rejected',
  description: 'Triggers when a host declines a booking that needed confirmation.',
});

export default trigger;
