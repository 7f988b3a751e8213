import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'booking_updated',
  noun: 'Booking',
  label: 'Booking Updated',
  description: 'Triggers when any detail of a booking changes.',
});

export default trigger;
