import { declineBooking } from '@calcom-oauth/shared';
import { bookingUidField } from './bookingUidField';
import { defineBookingCreate } from './defineBookingCreate';
import { optionalText } from './zapierInputs';

export const { create, perform } = defineBookingCreate({
  key: 'decline_booking',
  noun: 'Booking',
  sampleState: 'booking_rejected',
  inputFields: [
    bookingUidField('booking_requested', 'The booking request to decline (status pending).'),
    { key: 'reason', label: 'Decline Reason', required: false, type: 'text', helpText: 'Shown to the attendee in the email saying the request was declined.' },
  ],
  run: (ctx, input) => {
    const reason = optionalText(input.reason);
    return declineBooking(ctx, { uid: String(input.uid ?? ''), ...(reason === undefined ? {} : { reason }) });
  },
});

export default create;
