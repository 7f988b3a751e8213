import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'booking_created',
  noun: 'Booking',
  label: 'New Booking',
  description: 'Triggers when a new booking is made (reschedules have their own trigger).',
  confirmable: true,
});

export default trigger;
