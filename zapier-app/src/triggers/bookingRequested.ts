import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'booking_requested',
  noun: 'Booking Request',
  label: 'New Booking Request',
  description: "Triggers when a new booking needs the host's confirmation.",
});

export default trigger;
