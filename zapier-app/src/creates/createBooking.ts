import { createBooking, type CreateBookingInput } from '@calcom-oauth/shared';
import { bookingFieldResponses, bookingFormFields } from './bookingForm';
import { defineBookingCreate } from './defineBookingCreate';
import { START_FIELD } from './startField';
import { given, optionalNumber, optionalText, textList } from './zapierInputs';

function attendeeOf(input: Record<string, unknown>): CreateBookingInput['attendee'] {
  const email = optionalText(input.attendeeEmail);
  const phoneNumber = optionalText(input.attendeePhoneNumber);
  const language = optionalText(input.attendeeLanguage);
  return {
    name: String(input.attendeeName ?? ''),
    timeZone: optionalText(input.attendeeTimeZone) ?? '',
    ...(email === undefined ? {} : { email }),
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
    ...(language === undefined ? {} : { language }),
  };
}

function metadataOf(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>).filter(([key, value]) => key !== '' && given(value));
  return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

/** The core's input from the step's fields; the core checks every value and names the field at fault. */
export function createInputOf(input: Record<string, unknown>): CreateBookingInput {
  const guests = textList(input.guests);
  const lengthInMinutes = optionalNumber(input.lengthInMinutes);
  const location = optionalText(input.location);
  const responses = bookingFieldResponses(input);
  const metadata = metadataOf(input.metadata);
  return {
    eventTypeId: optionalNumber(input.eventTypeId) as number,
    start: String(input.start ?? ''),
    attendee: attendeeOf(input),
    ...(guests.length === 0 ? {} : { guests }),
    ...(lengthInMinutes === undefined ? {} : { lengthInMinutes }),
    // The dropdown offers the event type's own location kinds; Cal.com takes the chosen one by its type.
    ...(location === undefined ? {} : { location: { type: location } }),
    ...(Object.keys(responses).length === 0 ? {} : { bookingFieldsResponses: responses }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

export const { create, perform } = defineBookingCreate({
  key: 'create_booking',
  noun: 'Booking',
  sampleState: 'booking_created',
  inputFields: [
    {
      key: 'eventTypeId',
      label: 'Event Type',
      required: true,
      dynamic: 'event_type_list.id.title',
      altersDynamicFields: true,
      helpText: "What to book. Choosing it adds the event type's own questions, durations and locations below.",
    },
    START_FIELD,
    { key: 'attendeeName', label: 'Attendee Name', required: true },
    { key: 'attendeeEmail', label: 'Attendee Email', required: false, helpText: 'Required unless the event type books by phone number (then give Attendee Phone Number).' },
    {
      key: 'attendeeTimeZone',
      label: 'Attendee Time Zone',
      required: true,
      default: 'UTC',
      helpText: 'An IANA time zone such as Europe/Berlin or America/New_York; the confirmation email shows times in it.',
    },
    { key: 'attendeePhoneNumber', label: 'Attendee Phone Number', required: false, helpText: 'In international format, for example +14155550123.' },
    { key: 'attendeeLanguage', label: 'Attendee Language', required: false, helpText: 'Language code of the emails, for example en or de.' },
    { key: 'guests', label: 'Guest Emails', required: false, list: true, helpText: 'Email addresses of further people to invite.' },
    { key: 'metadata', label: 'Metadata', required: false, dict: true, helpText: 'Your own keys and text values stored with the booking (at most 50).' },
    bookingFormFields,
  ],
  run: (ctx, input) => createBooking(ctx, createInputOf(input)),
});

export default create;
