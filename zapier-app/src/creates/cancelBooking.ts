import { cancelBooking } from '@calcom-oauth/shared';
import { bookingUidField } from './bookingUidField';
import { defineBookingCreate } from './defineBookingCreate';
import { optionalFlag, optionalText } from './zapierInputs';

export const { create, perform } = defineBookingCreate({
  key: 'cancel_booking',
  noun: 'Booking',
  sampleState: 'booking_cancelled',
  inputFields: [
    bookingUidField('booking_created', 'The booking to cancel.'),
    { key: 'reason', label: 'Cancellation Reason', required: false, type: 'text', helpText: 'Shown to the attendees in the cancellation email.' },
    {
      key: 'cancelSubsequentBookings',
      label: 'Also Cancel Later Occurrences',
      required: false,
      type: 'boolean',
      helpText: 'For a recurring booking: also cancel every later occurrence. Leave empty to cancel only this one.',
    },
  ],
  run: (ctx, input) => {
    const reason = optionalText(input.reason);
    const subsequent = optionalFlag(input.cancelSubsequentBookings, 'Also Cancel Later Occurrences');
    return cancelBooking(ctx, {
      uid: String(input.uid ?? ''),
      ...(reason === undefined ? {} : { reason }),
      ...(subsequent === undefined ? {} : { cancelSubsequentBookings: subsequent }),
    });
  },
});

export default create;
