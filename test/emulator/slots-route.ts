import { apiVersion, notFound } from './api-routes';
import { optionalAuth } from './booking-create-route';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import { availableSlots } from './slots';
import type { EmulatorState } from './state';
import { unknownProperties, wrongProperty } from './strict-input';
import { isoInZone, isTimeZone, localDate, zonedToUtc } from './time-zones';
import type { EventType } from './types';
import { v2Error } from './v2-errors';

/** `GetAvailableSlotsInput_2024_09_04` and its `By*` variants. */
const SLOT_PARAMS = [
  'start', 'end', 'eventTypeId', 'eventTypeSlug', 'username', 'teamSlug', 'organizationSlug', 'usernames', 'timeZone', 'duration', 'format', 'bookingUidToReschedule',
];
const STRICT_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})?)?$/;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MINUTES = 24 * 60;

/** A bare date is the start (or, for `end`, the last second) of that day in the requested zone. */
function instantOf(raw: string, edge: 'start' | 'end', timeZone: string): number {
  if (!BARE_DATE.test(raw)) return Date.parse(raw);
  const [y, m, d] = raw.split('-').map(Number) as [number, number, number];
  return edge === 'start' ? zonedToUtc(y, m, d, 0, timeZone) : zonedToUtc(y, m, d, DAY_MINUTES, timeZone) - 1000;
}

function eventTypeOf(state: EmulatorState, q: URLSearchParams): EventType | string {
  const id = q.get('eventTypeId');
  if (id !== null) return state.store.eventTypes.get(Number(id)) ?? `Event Type with id=${id} not found`;
  const slug = q.get('eventTypeSlug');
  const username = q.get('username');
  if (slug !== null && username !== null) {
    const user = [...state.store.users.values()].find((u) => u.username === username);
    return (user && state.store.eventTypesOf(user.id).find((e) => e.slug === slug)) ?? `Event Type with slug=${slug} and username=${username} not found`;
  }
  return '';
}

/**
 * `GET /v2/slots` (2024-09-04 only; `modules/slots/slots-2024-09-04`). Public. Slots come back keyed by the
 * local date and offset-formatted in `timeZone` (default UTC); a booked slot is gone (shared/CALCOM.md §17).
 */
export function slotsRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  // The older slots controller (2024-04-15 … 2024-08-13) only has `/v2/slots/available`.
  if (apiVersion(req) !== '2024-09-04') return notFound(state, req);
  const auth = optionalAuth(state, oauth, req);
  if (auth && !auth.ok) return auth.response;
  const q = req.url.searchParams;
  const errors = unknownProperties(new Set(q.keys()), SLOT_PARAMS);
  for (const name of ['start', 'end'] as const) {
    const raw = q.get(name);
    if (raw === null || !STRICT_DATE.test(raw) || Number.isNaN(Date.parse(raw))) errors.push(wrongProperty(name, `${name} must be a valid ISO 8601 date string`));
  }
  const timeZone = q.get('timeZone') ?? 'UTC';
  if (!isTimeZone(timeZone)) errors.push(wrongProperty('timeZone', 'timeZone must be a valid IANA time-zone'));
  const format = q.get('format') ?? 'time';
  if (format !== 'time' && format !== 'range') errors.push(wrongProperty('format', 'slotFormat must be one of the following values: range, time'));
  const durationRaw = q.get('duration');
  if (durationRaw !== null && !(Number.isInteger(Number(durationRaw)) && Number(durationRaw) >= 1)) errors.push(wrongProperty('duration', 'duration must be an integer number'));
  const idRaw = q.get('eventTypeId');
  if (idRaw !== null && !Number.isInteger(Number(idRaw))) errors.push(wrongProperty('eventTypeId', 'eventTypeId must be an integer number'));
  if (errors.length > 0) return v2Error(state, req, 400, 'BadRequestException', errors.join(', '));
  const eventType = eventTypeOf(state, q);
  if (eventType === '') return v2Error(state, req, 400, 'BadRequestException', 'Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug or usernames + organizationSlug must be provided');
  if (typeof eventType === 'string') return v2Error(state, req, 404, 'NotFoundException', eventType);
  const duration = durationRaw !== null ? Number(durationRaw) : eventType.lengthInMinutes;
  const ignoreUid = q.get('bookingUidToReschedule') ?? undefined;
  const slots = availableSlots(state.store, eventType, {
    from: instantOf(q.get('start') as string, 'start', timeZone), to: instantOf(q.get('end') as string, 'end', timeZone),
    durationMinutes: duration, now: state.clock.now(), ...(ignoreUid ? { ignoreUid } : {}),
  });
  const data: Record<string, Array<{ start: string; end?: string }>> = {};
  for (const start of slots) {
    const day = localDate(start, timeZone);
    const slot: { start: string; end?: string } = { start: isoInZone(start, timeZone) };
    if (format === 'range') slot.end = isoInZone(start + duration * 60_000, timeZone);
    (data[day] ??= []).push(slot);
  }
  return jsonResponse(200, { status: 'success', data });
}
