import type { BookingField, EventType } from './types';

/**
 * Cal.com's `hasRequiredBookingFieldsResponses` (`apps/api/v2/src/ee/bookings/2024-08-13/services/
 * bookings.service.ts`): a required question without an answer, a value of the wrong type, or an option the
 * question does not offer is a 400 with these texts. Returns the message, or null when the responses pass.
 */
export function bookingFieldsProblem(eventType: EventType, responses: Record<string, unknown>): string | null {
  for (const field of eventType.bookingFields) {
    const value = responses[field.slug];
    if (field.required && (value === null || value === undefined)) {
      return `Missing required booking field response: ${field.slug} - it is required by the event type booking fields, but missing in the bookingFieldsResponses. You can fetch the event type with ID ${eventType.id} to see the required fields.`;
    }
    if (value === undefined) continue;
    const problem = typeProblem(field, value);
    if (problem) return problem;
  }
  return null;
}

const EXPECTED: Record<BookingField['type'], string> = {
  text: 'string', textarea: 'string', phone: 'string', url: 'string', number: 'number', boolean: 'boolean',
  select: 'string or number', radio: 'string or number', multiselect: 'array', checkbox: 'array', multiemail: 'array',
};

function typeProblem(field: BookingField, value: unknown): string | null {
  const actual = typeof value;
  const expected = EXPECTED[field.type];
  const valid = expected === 'array' ? Array.isArray(value)
    : expected === 'string or number' ? actual === 'string' || actual === 'number'
      : actual === expected;
  if (!valid) {
    return `Invalid type for booking field '${field.slug}'. Expected type ${expected} (compatible with field type '${field.type}'), but received ${actual}.`;
  }
  const options = field.options ?? [];
  if (options.length === 0) return null;
  if ((field.type === 'select' || field.type === 'radio') && !options.includes(String(value))) {
    return `Invalid option '${String(value)}' for booking field '${field.slug}'. Allowed options are: ${options.join(', ')}.`;
  }
  if ((field.type === 'multiselect' || field.type === 'checkbox') && !(value as unknown[]).every((v) => options.includes(String(v)))) {
    return `One or more invalid options for booking field '${field.slug}'. Allowed options are: ${options.join(', ')}.`;
  }
  return null;
}

/**
 * The event type's `bookingFields` as the 2024-06-14 output lists them: the system fields first (name,
 * email, location when there is a choice, guests, notes, …), then the custom questions with `slug`.
 */
export function bookingFieldsOutput(eventType: EventType): Array<Record<string, unknown>> {
  const system: Array<Record<string, unknown>> = [
    { type: 'name', slug: 'name', label: 'Your name', required: true, isDefault: true, disableOnPrefill: false, hidden: false, editable: 'system' },
    { type: 'email', slug: 'email', label: 'Email address', required: true, isDefault: true, disableOnPrefill: false, hidden: false, editable: 'system' },
    { type: 'radioInput', slug: 'location', label: 'Location', required: false, isDefault: true, hidden: false, editable: 'system' },
    { type: 'title', slug: 'title', label: 'What is this meeting about?', required: true, isDefault: true, hidden: true, editable: 'system-but-optional' },
    { type: 'notes', slug: 'notes', label: 'Additional notes', required: false, isDefault: true, hidden: false, editable: 'system-but-optional' },
    { type: 'guests', slug: 'guests', label: 'Add guests', required: false, isDefault: true, hidden: false, editable: 'system-but-optional' },
  ];
  const custom = eventType.bookingFields.map((f) => ({
    type: f.type, slug: f.slug, label: f.label, required: f.required, isDefault: false, hidden: false, disableOnPrefill: false,
    ...(f.options ? { options: [...f.options] } : {}),
  }));
  // A custom `notes` question replaces the system one, as Cal.com keys fields by name.
  const customSlugs = new Set(custom.map((f) => f.slug));
  return [...system.filter((f) => !customSlugs.has(f.slug as string)), ...custom];
}
