import { buildEventTypesRequest, MAX_EVENT_TYPE_LENGTH_MINUTES, processEventTypesResponse, type EventTypeSummary } from '../api/event-types';
import { isRecord } from '../body';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets } from '../request-secrets';
import { successData, type ProcessOptions } from './booking-response';
import { read, secretsOf, type ActionContext } from './context';
import { requireId } from './inputs';
import { buildActionRequest } from './wire';

const ENDPOINT = 'GET /v2/event-types/{id}';

/** A question of the booking form (the event type's `bookingFields`). */
export interface BookingField {
  /** The key of `bookingFieldsResponses` (Cal.com's `slug`). */
  name: string;
  type: string;
  label: string;
  required: boolean;
  options?: Array<{ value: string; label: string }>;
}

/** What a create form needs about one event type. */
export interface EventTypeDetail {
  id: number;
  title: string;
  slug: string;
  lengthInMinutes: number;
  lengthInMinutesOptions?: number[];
  requiresConfirmation: boolean;
  recurring: boolean;
  /** Visible questions only; hidden ones are never asked of the booker. */
  bookingFields: BookingField[];
  locations: Array<{ type: string; label?: string }>;
}

/** Describes `GET /v2/event-types/{id}` (`2024-06-14`, EVENT_TYPE_READ: CALCOM.md §12). */
export function buildGetEventTypeRequest(instance: Pick<CalcomInstance, 'apiUrl'>, id: number): HttpRequest {
  return buildActionRequest({ instance, method: 'GET', path: `/v2/event-types/${requireId(id, 'eventTypeId')}`, group: 'eventTypes' });
}

function malformed(message: string, status: number): CalcomError {
  return new CalcomError('malformed_response', message, { status });
}

function isMinutes(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_EVENT_TYPE_LENGTH_MINUTES;
}

function optionOf(item: unknown): { value: string; label: string } | undefined {
  if (typeof item === 'string') return { value: item, label: item };
  if (isRecord(item) && typeof item.value === 'string') return { value: item.value, label: typeof item.label === 'string' ? item.label : item.value };
  return undefined;
}

function fieldOf(item: unknown): BookingField | undefined {
  if (!isRecord(item) || item.hidden === true) return undefined;
  const name = typeof item.slug === 'string' && item.slug !== '' ? item.slug : typeof item.name === 'string' && item.name !== '' ? item.name : undefined;
  if (name === undefined || typeof item.type !== 'string') return undefined;
  const options = Array.isArray(item.options) ? item.options.map(optionOf).filter((option): option is { value: string; label: string } => option !== undefined) : undefined;
  return {
    name,
    type: item.type,
    label: typeof item.label === 'string' && item.label !== '' ? item.label : name,
    required: item.required === true,
    ...(options === undefined || options.length === 0 ? {} : { options }),
  };
}

/** Reads the answer to {@link buildGetEventTypeRequest}; identity and length must be there, the form parts are read leniently. */
export function processGetEventTypeResponse(response: HttpResponse, options: ProcessOptions = {}): EventTypeDetail {
  const knownSecrets = options.knownSecrets ?? [];
  return withKnownSecrets(knownSecrets, () => {
    const data = successData(response, { endpoint: ENDPOINT, statuses: [200], scope: 'EVENT_TYPE_READ' }, knownSecrets);
    if (!isRecord(data)) throw malformed(`Cal.com answered ${ENDPOINT} without an event type object.`, response.status);
    const { id, title, slug } = data;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw malformed(`Cal.com answered ${ENDPOINT} with an event type whose id is not a whole number.`, response.status);
    if (typeof title !== 'string' || typeof slug !== 'string') throw malformed(`Cal.com answered ${ENDPOINT} with event type ${id} without its title or slug.`, response.status);
    const length = isMinutes(data.lengthInMinutes) ? data.lengthInMinutes : isMinutes(data.length) ? data.length : undefined;
    if (length === undefined) throw malformed(`Cal.com answered ${ENDPOINT} with event type ${id} without a length in minutes (an older API version may have answered).`, response.status);
    const lengthOptions = Array.isArray(data.lengthInMinutesOptions) ? data.lengthInMinutesOptions.filter(isMinutes) : [];
    const fields = Array.isArray(data.bookingFields) ? data.bookingFields.map(fieldOf).filter((field): field is BookingField => field !== undefined) : [];
    const locations = Array.isArray(data.locations)
      ? data.locations.filter(isRecord).flatMap((location) =>
          typeof location.type === 'string' ? [{ type: location.type, ...(typeof location.label === 'string' ? { label: location.label } : {}) }] : [],
        )
      : [];
    return {
      id,
      title,
      slug,
      lengthInMinutes: length,
      ...(lengthOptions.length === 0 ? {} : { lengthInMinutesOptions: lengthOptions }),
      requiresConfirmation: data.requiresConfirmation === true,
      recurring: isRecord(data.recurrence) || isRecord(data.recurringEvent),
      bookingFields: fields,
      locations,
    };
  });
}

/** One event type with its booking form, for dynamic fields. */
export async function getEventType(ctx: ActionContext, id: number): Promise<EventTypeDetail> {
  const request = buildGetEventTypeRequest(ctx.instance, id);
  const response = await read(ctx, request, ENDPOINT);
  return processGetEventTypeResponse(response, { knownSecrets: secretsOf(ctx, request) });
}

/** The connected user's event types (the existing reader: a malformed item is skipped and named in `warnings`). */
export async function listEventTypes(ctx: ActionContext): Promise<{ eventTypes: EventTypeSummary[]; warnings: string[] }> {
  const request = buildEventTypesRequest({ instance: ctx.instance });
  const response = await read(ctx, request, 'GET /v2/event-types');
  return processEventTypesResponse(response, { knownSecrets: secretsOf(ctx, request) });
}

/**
 * Booking fields a create form fills from its own inputs (attendee name, email and phone, location,
 * guests) or that only apply when rescheduling, by Cal.com's system field slugs (CALCOM.md §17); a
 * form built from {@link EventTypeDetail.bookingFields} leaves them out so nothing is asked twice.
 */
export const BOOKING_FIELDS_FROM_INPUTS: readonly string[] = Object.freeze(['name', 'email', 'attendeePhoneNumber', 'location', 'guests', 'rescheduleReason']);
