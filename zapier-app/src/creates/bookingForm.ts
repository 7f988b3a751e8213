import type { Bundle, ZObject } from 'zapier-platform-core';
import { BOOKING_FIELDS_FROM_INPUTS, getEventType, type BookingField, type EventTypeDetail } from '@calcom-oauth/shared';
import { withZapierErrors } from '../errors';
import { actionContextFor } from './actionContext';
import { given, optionalFlag, optionalNumber, textList } from './zapierInputs';

/**
 * Input keys of the event type's own questions carry a prefix, so they never clash with the fixed
 * inputs, and it says how to send the answer: perform reads only the input, never the event type again
 * (one Cal.com request per action), yet Zapier may hand a number or a yes/no over as text.
 */
export const ANSWER_PREFIXES = { text: 'bookingField_', number: 'bookingNumber_', flag: 'bookingFlag_', list: 'bookingList_' } as const;
type AnswerKind = keyof typeof ANSWER_PREFIXES;

interface DynamicField {
  key: string;
  label: string;
  required: boolean;
  type?: 'string' | 'text' | 'number' | 'boolean';
  list?: boolean;
  choices?: { value: string; label: string; sample: string }[];
  helpText?: string;
}

/** How each kind of booking question is asked in Zapier (any other kind is one line of text). */
function questionShape(field: BookingField): Pick<DynamicField, 'type' | 'list'> {
  switch (field.type) {
    case 'textarea':
      return { type: 'text' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    // Cal.com's checkbox group, multiselect and multiemail take several answers.
    case 'checkbox':
    case 'multiselect':
    case 'multiemail':
      return { list: true };
    default:
      return { type: 'string' };
  }
}

function answerKind(shape: Pick<DynamicField, 'type' | 'list'>): AnswerKind {
  if (shape.list === true) return 'list';
  if (shape.type === 'number') return 'number';
  if (shape.type === 'boolean') return 'flag';
  return 'text';
}

function questionField(field: BookingField): DynamicField {
  const shape = questionShape(field);
  return {
    key: `${ANSWER_PREFIXES[answerKind(shape)]}${field.name}`,
    label: field.label,
    required: field.required,
    ...shape,
    ...(field.options === undefined ? {} : { choices: field.options.map((option) => ({ value: option.value, label: option.label, sample: option.value })) }),
    helpText: `Booking question "${field.name}" of this event type.`,
  };
}

/** The fields that depend on the chosen event type: its lengths, its locations and its questions. */
export function formFieldsOf(eventType: EventTypeDetail): DynamicField[] {
  const fields: DynamicField[] = [];
  if (eventType.lengthInMinutesOptions !== undefined && eventType.lengthInMinutesOptions.length > 1) {
    fields.push({
      key: 'lengthInMinutes',
      label: 'Duration (Minutes)',
      required: false,
      choices: eventType.lengthInMinutesOptions.map((minutes) => ({ value: String(minutes), label: `${minutes} min`, sample: String(minutes) })),
      helpText: `How long the meeting lasts. Leave empty for the event type's default of ${eventType.lengthInMinutes} minutes.`,
    });
  }
  if (eventType.locations.length > 1) {
    fields.push({
      key: 'location',
      label: 'Location',
      required: false,
      choices: eventType.locations.map((location) => ({ value: location.type, label: location.label ?? location.type, sample: location.type })),
      helpText: "Where the meeting takes place, among the event type's locations. Leave empty for its default.",
    });
  }
  const questions = eventType.bookingFields.filter((field) => !BOOKING_FIELDS_FROM_INPUTS.includes(field.name));
  return [...fields, ...questions.map(questionField)];
}

/**
 * Zapier's dynamic-fields function of Create Booking: runs when the event type changes (its field
 * has `altersDynamicFields`) and when the step opens; one Cal.com request each time.
 */
export async function bookingFormFields(z: ZObject, bundle: Bundle): Promise<DynamicField[]> {
  const eventTypeId = (bundle.inputData as Record<string, unknown>).eventTypeId;
  if (!given(eventTypeId)) return [];
  return withZapierErrors(z, 'run', async () => formFieldsOf(await getEventType(actionContextFor(z, bundle), Number(String(eventTypeId).trim()))), bundle);
}

function answerOf(kind: AnswerKind, value: unknown): unknown {
  switch (kind) {
    case 'list':
      return textList(value);
    case 'number':
      return optionalNumber(value);
    case 'flag':
      return optionalFlag(value, 'a yes/no booking question');
    default:
      return value;
  }
}

/** The answers to the event type's questions, from the prefixed inputs, in the form Cal.com takes. */
export function bookingFieldResponses(inputData: Record<string, unknown>): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputData)) {
    const kind = (Object.keys(ANSWER_PREFIXES) as AnswerKind[]).find((candidate) => key.startsWith(ANSWER_PREFIXES[candidate]));
    if (kind === undefined || !given(value)) continue;
    responses[key.slice(ANSWER_PREFIXES[kind].length)] = answerOf(kind, value);
  }
  return responses;
}
