import { addGuests, MAX_GUESTS_PER_REQUEST } from '@calcom-oauth/shared';
import { bookingUidField } from './bookingUidField';
import { defineBookingCreate } from './defineBookingCreate';
import { textList } from './zapierInputs';

export const { create, perform } = defineBookingCreate({
  key: 'add_guests',
  noun: 'Guest',
  sampleState: 'booking_created',
  inputFields: [
    bookingUidField('booking_created', 'The booking to add guests to.'),
    {
      key: 'guestEmails',
      label: 'Guest Emails',
      required: true,
      list: true,
      helpText: `Email addresses of the guests to invite, at most ${MAX_GUESTS_PER_REQUEST} per step. Guests already on the booking are left as they are.`,
    },
    { key: 'guestNames', label: 'Guest Names', required: false, list: true, helpText: 'Their names, in the same order as the emails (optional).' },
  ],
  run: (ctx, input) => {
    const names = textList(input.guestNames);
    const guests = textList(input.guestEmails).map((email, index) => (names[index] === undefined ? { email } : { email, name: names[index] as string }));
    return addGuests(ctx, { uid: String(input.uid ?? ''), guests });
  },
});

export default create;
