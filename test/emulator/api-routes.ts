import { authenticateV2 } from './api-auth';
import { bookingFieldsOutput } from './booking-fields';
import { bookingOutput20240415, bookingOutput20240813 } from './booking-output';
import { listBookings } from './bookings-list';
import { parseBookingsQuery } from './bookings-query';
import { header, jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import type { EventType, Schedule } from './types';
import { v2Error, v2ValidationError } from './v2-errors';

/** Versions API v2's extractor recognises; anything else falls back to 2024-04-15 (shared/CALCOM.md §7). */
const KNOWN_VERSIONS = ['2024-04-15', '2024-06-11', '2024-06-14', '2024-08-13', '2024-09-04'];

export function apiVersion(req: EmuRequest): string {
  const raw = header(req, 'cal-api-version');
  return raw && KNOWN_VERSIONS.includes(raw) ? raw : '2024-04-15';
}

export function notFound(state: EmulatorState, req: EmuRequest): EmuResponse {
  return v2Error(state, req, 404, 'NotFoundException', `Cannot ${req.method} ${req.url.pathname}`);
}

/** `GET /v2/bookings`: 2024-08-13 or the older 2024-04-15 controller, by header. */
export function bookingsRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const version = apiVersion(req);
  if (version !== '2024-08-13' && version !== '2024-04-15') return notFound(state, req);
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: true, requiredScope: 'BOOKING_READ' });
  if (!auth.ok) return auth.response;
  const now = state.clock.now();
  if (version === '2024-04-15') {
    // The old controller: `filters[status]`, `limit`, `cursor`, and `{bookings, recurringInfo, nextCursor}`.
    const status = req.url.searchParams.get('filters[status]') ?? 'upcoming';
    const limit = Math.min(100, Math.max(1, Number(req.url.searchParams.get('limit') ?? 10) || 10));
    const cursor = Math.max(0, Number(req.url.searchParams.get('cursor') ?? 0) || 0);
    const statuses = (['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'] as const).filter((s) => s === status);
    const { items, pagination } = listBookings(state.store, auth.user, { statuses, take: limit, skip: cursor }, now);
    return jsonResponse(200, {
      status: 'success',
      data: {
        bookings: items.map((b) => bookingOutput20240415(state.store, b)),
        recurringInfo: [],
        nextCursor: pagination.hasNextPage ? cursor + limit : null,
      },
    });
  }
  const parsed = parseBookingsQuery(req.url.searchParams);
  if (!parsed.ok) return v2ValidationError(state, req, parsed.errors);
  const { items, pagination } = listBookings(state.store, auth.user, parsed.query, now);
  return jsonResponse(200, { status: 'success', data: items.map((b) => bookingOutput20240813(state.store, b)), pagination });
}

/** `EventTypeOutput_2024_06_14`: the lengths, the questions (system fields included) and the booking limits. */
function eventTypeOutput(e: EventType): Record<string, unknown> {
  return {
    id: e.id, ownerId: e.userId, lengthInMinutes: e.lengthInMinutes,
    ...(e.lengthInMinutesOptions ? { lengthInMinutesOptions: [...e.lengthInMinutesOptions] } : {}),
    title: e.title, slug: e.slug, description: e.description,
    locations: e.locations, bookingFields: bookingFieldsOutput(e), disableGuests: false, slotInterval: e.slotInterval,
    minimumBookingNotice: e.minimumBookingNotice, beforeEventBuffer: 0, afterEventBuffer: 0,
    recurrence: e.recurrence ? { ...e.recurrence } : null, metadata: {}, price: 0, currency: 'usd',
    lockTimeZoneToggleOnBookingPage: false, seatsPerTimeSlot: null, forwardParamsSuccessRedirect: true,
    successRedirectUrl: null, isInstantEvent: false, seatsShowAvailabilityCount: true, scheduleId: e.scheduleId,
    hidden: e.hidden, requiresConfirmation: e.requiresConfirmation, bookingRequiresAuthentication: false,
    ...(e.bookingWindowDays !== null ? { bookingWindow: { type: 'calendarDays', value: e.bookingWindowDays, rolling: true } } : {}),
  };
}

/** `GET /v2/event-types[/:id]` (2024-06-14; older shape without the header). */
export function eventTypesRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, id?: string): EmuResponse {
  const version = apiVersion(req);
  if (version !== '2024-06-14' && version !== '2024-04-15') return notFound(state, req);
  const requiredScope = state.settings.eventTypesRequireScope || id !== undefined ? 'EVENT_TYPE_READ' : null;
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: false, requiredScope });
  if (!auth.ok) return auth.response;
  const own = state.store.eventTypesOf(auth.user.id);
  if (id !== undefined) {
    const found = own.find((e) => String(e.id) === id);
    if (!found) return v2Error(state, req, 404, 'NotFoundException', `Event type with id=${id} not found`);
    return jsonResponse(200, { status: 'success', data: eventTypeOutput(found) });
  }
  if (version === '2024-04-15') {
    return jsonResponse(200, {
      status: 'success',
      data: { eventTypeGroups: [{ teamId: null, profile: { slug: auth.user.username, name: auth.user.name }, eventTypes: own.map((e) => ({ id: e.id, title: e.title, slug: e.slug, length: e.lengthInMinutes, hidden: e.hidden })) }] },
    });
  }
  return jsonResponse(200, { status: 'success', data: own.map(eventTypeOutput) });
}

function scheduleOutput(s: Schedule): Record<string, unknown> {
  return { id: s.id, ownerId: s.ownerId, name: s.name, timeZone: s.timeZone, availability: s.availability, isDefault: s.isDefault, overrides: [] };
}

/** `GET /v2/schedules`, `/v2/schedules/default`, `/v2/schedules/:id` (2024-06-11). */
export function schedulesRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, id?: string): EmuResponse {
  const version = apiVersion(req);
  if (version !== '2024-06-11' && version !== '2024-06-14' && version !== '2024-04-15') return notFound(state, req);
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: false, requiredScope: 'SCHEDULE_READ' });
  if (!auth.ok) return auth.response;
  const own = [...state.store.schedules.values()].filter((s) => s.ownerId === auth.user.id);
  if (version === '2024-04-15') {
    // The old controller printed working hours per schedule instead of `availability`.
    const data = own.map((s) => ({ id: s.id, name: s.name, isManaged: false, timeZone: s.timeZone, isDefault: s.isDefault, workingHours: s.availability, dateOverrides: [] }));
    return jsonResponse(200, { status: 'success', data: id === undefined ? data : (data.find((s) => id === 'default' ? s.isDefault : String(s.id) === id) ?? null) });
  }
  if (id === undefined) return jsonResponse(200, { status: 'success', data: own.map(scheduleOutput) });
  const found = own.find((s) => (id === 'default' ? s.isDefault : String(s.id) === id));
  if (!found) return v2Error(state, req, 404, 'NotFoundException', `Schedule with id=${id} not found`);
  return jsonResponse(200, { status: 'success', data: scheduleOutput(found) });
}
