/** The start time input of Create Booking and Reschedule Booking. */
export const START_FIELD = {
  key: 'start',
  label: 'Start Time',
  required: true,
  type: 'datetime',
  helpText:
    'When the booking starts: a date and time with a time zone offset or Z (for example 2026-05-04T09:00:00Z), sent as UTC. Map "Start (UTC)" from a "Find Available Slots" step to be sure the time is free.',
} as const;
