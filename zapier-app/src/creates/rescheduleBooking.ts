import { rescheduleBooking } from '@calcom-oauth/shared';
import { bookingUidField } from './bookingUidField';
import { defineBookingCreate } from './defineBookingCreate';
import { START_FIELD } from './startField';
import { optionalText } from './zapierInputs';

export const { create, perform } = defineBookingCreate({
  key: 'reschedule_booking',
  noun: 'Booking',
  sampleState: 'booking_rescheduled',
  inputFields: [
    bookingUidField('booking_created', 'The booking to move. Its result is the NEW booking, with a new uid; the old one becomes cancelled.'),
    START_FIELD,
    { key: 'reason', label: 'Rescheduling Reason', required: false, type: 'text' },
    { key: 'rescheduledBy', label: 'Rescheduled By (Email)', required: false, helpText: 'Email address of who reschedules, if not the host.' },
  ],
  run: (ctx, input) => {
    const reason = optionalText(input.reason);
    const rescheduledBy = optionalText(input.rescheduledBy);
    return rescheduleBooking(ctx, {
      uid: String(input.uid ?? ''),
      start: String(input.start ?? ''),
      ...(reason === undefined ? {} : { reason }),
      ...(rescheduledBy === undefined ? {} : { rescheduledBy }),
    });
  },
});

export default create;
