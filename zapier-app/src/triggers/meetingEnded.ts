import { defineBookingTrigger } from './defineBookingTrigger';

export const { trigger, perform } = defineBookingTrigger({
  event: 'meeting_ended',
  noun: 'Meeting',
  label: 'Meeting Ended',
  description: "Triggers when a confirmed booking's end time has passed.",
});

export default trigger;
