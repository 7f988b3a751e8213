import { confirmBooking } from '@calcom-oauth/shared';
import { bookingUidField } from './bookingUidField';
import { defineBookingCreate } from './defineBookingCreate';

export const { create, perform } = defineBookingCreate({
  key: 'confirm_booking',
  noun: 'Booking',
  sampleState: 'booking_created',
  inputFields: [bookingUidField('booking_requested', 'The booking request to accept (status pending).')],
  run: (ctx, input) => confirmBooking(ctx, { uid: String(input.uid ?? '') }),
});

export default create;
