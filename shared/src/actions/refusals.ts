import { readErrorBody } from '../body';
import { classifyResponse } from '../classify';
import { CalcomError, type CalcomErrorKind } from '../errors';
import type { HttpResponse } from '../http';
import { summarizeForMessage } from '../redact';
import type { KnownSecrets } from '../request-secrets';

/**
 * The kind for input Cal.com refused that the user can fix (a taken slot, a missing booking field,
 * a past time). STOP-GAP: `bad_request` until the groundwork branch adds its user-input kind.
 */
export const USER_INPUT_REJECTED: CalcomErrorKind = 'bad_request';

/** Stable codes for the refusals adapters may want to tell apart (`CalcomError.code`). */
export const BOOKING_REFUSALS = {
  slotTaken: 'slot_taken',
  missingBookingField: 'missing_booking_field',
  inThePast: 'start_in_the_past',
  outOfBounds: 'start_out_of_bounds',
  bookerLimit: 'booker_limit_reached',
} as const;

const FIND_SLOTS = 'get a valid start from "Find Available Slots" (Slot → Get Many) and try again';

interface Refusal {
  test: RegExp;
  code: string;
  message: (calcom: string, field: string | undefined) => string;
}

/**
 * Cal.com's 400 texts for bookable-time and booking-field problems
 * (`apps/api/v2/src/ee/bookings/2024-08-13/services/errors.service.ts`, `bookings.service.ts`
 * `hasRequiredBookingFieldsResponses`; CALCOM.md §17).
 */
const REFUSALS: readonly Refusal[] = [
  {
    test: /(?:user|one of the hosts) either already has booking at this time or is not available/i,
    code: BOOKING_REFUSALS.slotTaken,
    message: () => `That time is taken: the host already has a booking then or is not available; ${FIND_SLOTS}.`,
  },
  {
    test: /missing required booking field response:?\s*([\w.-]+)/i,
    code: BOOKING_REFUSALS.missingBookingField,
    message: (_calcom, field) =>
      `The event type requires the booking field "${field ?? 'unknown'}"; give it in the booking field responses (bookingFieldsResponses.${field ?? '<field>'}).`,
  },
  {
    test: /missing attendee phone number/i,
    code: BOOKING_REFUSALS.missingBookingField,
    message: () => 'The event type requires the attendee\'s phone number; give attendee.phoneNumber in international format (for example +14155550123).',
  },
  {
    test: /attempting to book a meeting in the past/i,
    code: BOOKING_REFUSALS.inThePast,
    message: () => `That start is in the past; ${FIND_SLOTS}.`,
  },
  {
    test: /can't be booked at the "?start"? time provided|booking_time_out_of_bounds/i,
    code: BOOKING_REFUSALS.outOfBounds,
    message: () => `That start is outside what the event type allows (its minimum booking notice or how far ahead it can be booked); ${FIND_SLOTS}.`,
  },
  {
    test: /maximum number of active bookings/i,
    code: BOOKING_REFUSALS.bookerLimit,
    message: () => 'This attendee has reached the event type\'s maximum number of active bookings; cancel one of their bookings or use another event type.',
  },
];

/** The code of a user-fixable refusal in a 400 answer, or undefined. */
export function refusalCode(response: HttpResponse): string | undefined {
  if (response.status !== 400) return undefined;
  const text = readErrorBody(response).message ?? '';
  return REFUSALS.find((refusal) => refusal.test.test(text))?.code;
}

/**
 * The error a failed booking answer stands for: Cal.com's user-fixable refusals in words saying what
 * to change, anything else through the shared classification (token expired, insufficient scope with
 * the scope named, rate limited, not found...).
 */
export function classifyActionResponse(response: HttpResponse, endpoint: string, knownSecrets: KnownSecrets): CalcomError | undefined {
  if (response.status === 400) {
    const text = readErrorBody(response).message ?? '';
    for (const refusal of REFUSALS) {
      const match = refusal.test.exec(text);
      if (match === null) continue;
      const said = summarizeForMessage(text, 300, knownSecrets);
      return new CalcomError(USER_INPUT_REJECTED, `${refusal.message(said, match[1])} (Cal.com said: "${said}")`, { status: 400, code: refusal.code });
    }
  }
  return classifyResponse(response, { endpoint, knownSecrets });
}
