/**
 * Which 400 answers of API v2 are about the values a user supplied (a taken slot, a missing or
 * invalid booking field), and which are about what this integration sent (a property Cal.com does not
 * know). The texts are Cal.com's: `ee/bookings/2024-08-13/services/errors.service.ts` and
 * `bookings.service.ts` for booking refusals, and the `*-input.pipe.ts` validators of
 * `packages/platform/types/bookings/2024-08-13/inputs` ("<prop> property is wrong,<constraints>",
 * "property <prop> should not exist"); see CALCOM.md §13.
 */

/** A refusal the user fixes by changing a value. */
export interface InputRejection {
  /** The request field to change (`start`, `attendee.phoneNumber`, `bookingFieldsResponses.notes`), when Cal.com's text names one. */
  field?: string;
  /** What is wrong, in words. */
  problem: string;
  /** What the user can do. */
  fix: string;
}

interface Rule {
  pattern: RegExp;
  rejection: (match: RegExpExecArray) => InputRejection;
}

const ANOTHER_TIME = 'choose another start time (one of the event type\'s available slots)';

const RULES: readonly Rule[] = [
  {
    pattern: /(?:user|one of the hosts) either already has (?:a )?booking at this time or is not available/i,
    rejection: () => ({ field: 'start', problem: 'the host already has a booking at that time or is not available', fix: ANOTHER_TIME }),
  },
  {
    pattern: /can't be booked at the "?start"? time provided/i,
    rejection: () => ({ field: 'start', problem: "the start time is outside the event type's booking window or minimum notice", fix: ANOTHER_TIME }),
  },
  {
    pattern: /attempting to book a meeting in the past/i,
    rejection: () => ({ field: 'start', problem: 'the start time is in the past', fix: 'choose a start time in the future' }),
  },
  {
    pattern: /maximum number of active bookings has been reached/i,
    rejection: () => ({ field: 'attendee.email', problem: 'this attendee already has as many active bookings as the event type allows', fix: 'cancel one of their bookings or book for another attendee' }),
  },
  {
    pattern: /missing required booking field response:?\s*"?([\w.-]+)/i,
    rejection: (match) => ({
      field: `bookingFieldsResponses.${match[1] ?? ''}`,
      problem: `the event type requires the booking question "${match[1] ?? ''}" to be answered`,
      fix: 'add an answer for it',
    }),
  },
  {
    pattern: /missing attendee phone number/i,
    rejection: () => ({ field: 'attendee.phoneNumber', problem: "the event type requires the attendee's phone number", fix: 'add the phone number in international format (+14155550123)' }),
  },
  {
    pattern: /attendee must have at least one contact method/i,
    rejection: () => ({ field: 'attendee.email', problem: 'the attendee has neither an email address nor a phone number', fix: 'add the attendee\'s email address or phone number' }),
  },
  {
    pattern: /either eventTypeId or eventTypeSlug/i,
    rejection: () => ({ field: 'eventTypeId', problem: 'no event type was chosen', fix: 'choose the event type to book' }),
  },
  {
    pattern: /can't reschedule booking with uid=\S+ because it has been (cancelled|rescheduled)/i,
    rejection: (match) => ({ field: 'bookingUid', problem: `the booking has already been ${(match[1] ?? 'cancelled').toLowerCase()}`, fix: 'pick a booking that is still active' }),
  },
  {
    pattern: /instant bookings are only supported for team event types/i,
    rejection: () => ({ field: 'eventTypeId', problem: 'instant bookings exist only for team event types', fix: 'choose a team event type or turn off the instant option' }),
  },
  {
    // "<prop> property is wrong,<constraints>" from the booking and slots pipes: a value of the right field that is invalid.
    pattern: /^([\w.[\]]+) property is wrong,?\s*(.*)$/i,
    rejection: (match) => ({
      field: match[1] ?? '',
      problem: match[2] !== undefined && match[2].trim() !== '' ? `Cal.com says: ${match[2].trim()}` : 'Cal.com does not accept its value',
      fix: 'correct that value',
    }),
  },
];

/** An unknown property: only this integration decides which fields are sent, so it is its defect. */
const UNKNOWN_PROPERTY = /property (\S+) should not exist/i;

/** The property Cal.com refused as unknown, when the text is that refusal. */
export function findUnknownProperty(message: string): string | undefined {
  return UNKNOWN_PROPERTY.exec(message)?.[1];
}

/** The user-fixable refusal Cal.com's text describes, or undefined when the text is not one. */
export function findInputRejection(message: string): InputRejection | undefined {
  if (findUnknownProperty(message) !== undefined) return undefined;
  for (const rule of RULES) {
    const match = rule.pattern.exec(message.trim());
    if (match !== null) return rule.rejection(match);
  }
  return undefined;
}
