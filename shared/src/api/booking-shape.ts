import { isRecord } from '../body';

/**
 * The shape of the booking fields handed to users (2024-08-13, `booking.output.ts` in Cal.com's
 * `packages/platform/types/bookings/2024-08-13/outputs`). The polling engine does not need them, but
 * both adapters map them, so a booking whose `attendees` is `null` or whose `hosts` is a string would
 * crash a mapper or hand users a shape no workflow was built for. Each check names what it expected.
 * Absent fields are fine (Cal.com omits optional ones); `null` is accepted where Cal.com sends it.
 */
type Check = (value: unknown) => boolean;

const isText: Check = (value) => typeof value === 'string';
const isInteger: Check = (value) => typeof value === 'number' && Number.isSafeInteger(value);
const isFiniteNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isBoolean: Check = (value) => typeof value === 'boolean';
const isObject: Check = (value) => isRecord(value);

interface FieldRule {
  expected: string;
  check: Check;
  /** Cal.com sends `null` for this field when it has no value. */
  nullable: boolean;
}

const text = (nullable = true): FieldRule => ({ expected: 'text', check: isText, nullable });
const integer = (nullable = true): FieldRule => ({ expected: 'an integer', check: isInteger, nullable });
const number = (nullable = true): FieldRule => ({ expected: 'a number', check: isFiniteNumber, nullable });
const boolean = (nullable = true): FieldRule => ({ expected: 'true or false', check: isBoolean, nullable });
const object = (nullable = false): FieldRule => ({ expected: 'an object', check: isObject, nullable });

type Rules = Readonly<Record<string, FieldRule>>;

const HOST_RULES: Rules = { id: integer(), name: text(), email: text(), username: text(), timeZone: text() };

const ATTENDEE_RULES: Rules = {
  name: text(),
  email: text(),
  displayEmail: text(),
  timeZone: text(),
  language: text(),
  phoneNumber: text(),
  absent: boolean(),
  seatUid: text(),
  bookingFieldsResponses: object(true),
  metadata: object(true),
};

const EVENT_TYPE_RULES: Rules = { id: integer(false), slug: text() };

/** Top-level scalar and record fields; the lists and the event type are checked below. */
const BOOKING_RULES: Rules = {
  title: text(),
  description: text(),
  cancellationReason: text(),
  cancelledByEmail: text(),
  reschedulingReason: text(),
  rescheduledByEmail: text(),
  location: text(),
  meetingUrl: text(),
  icsUid: text(),
  recurringBookingUid: text(),
  duration: number(),
  eventTypeId: integer(),
  rating: number(),
  absentHost: boolean(),
  bookingFieldsResponses: object(),
  metadata: object(),
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : 'a number out of range';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkField(path: string, value: unknown, rule: FieldRule): string | undefined {
  if (value === undefined || (value === null && rule.nullable) || rule.check(value)) return undefined;
  return `its ${path} is ${describeValue(value)} instead of ${rule.expected}${rule.nullable ? ' or null' : ''}`;
}

function checkFields(prefix: string, record: Record<string, unknown>, rules: Rules): string | undefined {
  for (const [field, rule] of Object.entries(rules)) {
    const problem = checkField(`${prefix}${field}`, record[field], rule);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkList(field: string, value: unknown, entry: (path: string, item: unknown) => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `its ${field} is ${describeValue(value)} instead of a list`;
  for (let index = 0; index < value.length; index += 1) {
    const problem = entry(`${field}[${index}]`, value[index]);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const objectEntry =
  (rules: Rules) =>
  (path: string, item: unknown): string | undefined =>
    isRecord(item) ? checkFields(`${path}.`, item, rules) : `its ${path} is ${describeValue(item)} instead of an object`;

const textEntry = (path: string, item: unknown): string | undefined =>
  typeof item === 'string' ? undefined : `its ${path} is ${describeValue(item)} instead of an email address (text)`;

/**
 * What is wrong with the user-facing fields of a booking whose identity and timestamps are fine, in
 * words naming the field (`its attendees[1] is null instead of an object`), or undefined.
 */
export function findBookingShapeProblem(booking: Record<string, unknown>): string | undefined {
  return (
    checkFields('', booking, BOOKING_RULES) ??
    // Declared nullable: both adapters then fall back to `eventTypeId`, so such a booking is still delivered.
    (booking.eventType === null || booking.eventType === undefined
      ? undefined
      : isRecord(booking.eventType)
        ? checkFields('eventType.', booking.eventType, EVENT_TYPE_RULES)
        : `its eventType is ${describeValue(booking.eventType)} instead of an object`) ??
    checkList('hosts', booking.hosts, objectEntry(HOST_RULES)) ??
    checkList('attendees', booking.attendees, objectEntry(ATTENDEE_RULES)) ??
    checkList('guests', booking.guests, textEntry)
  );
}
