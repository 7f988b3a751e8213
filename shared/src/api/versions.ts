import { CalcomError } from '../errors';

/**
 * `cal-api-version` per API v2 endpoint group (CALCOM.md §7).
 *
 * Cal.com routes each request by this header; a missing or unknown value is silently served as
 * 2024-04-15, which answers with an older body shape or a 404 where that version has no route. Each
 * group has its own newest version, so one global value cannot be used, and callers name the group,
 * never the version.
 *
 * `undefined` means no header is sent: the webhook and `/v2/me` controllers declare every version, so
 * any value (or none) reaches the same code, and pinning one would only suggest a dependency that
 * does not exist.
 */
export const API_VERSION_BY_GROUP = Object.freeze({
  /** `/v2/bookings` and its sub-resources (confirm, cancel, reschedule...). */
  bookings: '2024-08-13',
  /** `/v2/slots`: older versions have only `/v2/slots/available`. */
  slots: '2024-09-04',
  /** `/v2/event-types`: 2024-08-13 would 404 there. */
  eventTypes: '2024-06-14',
  /** `/v2/schedules`. */
  schedules: '2024-06-11',
  /** `/v2/webhooks`: every version is accepted. */
  webhooks: undefined,
  /** `/v2/me`: every version is accepted. */
  me: undefined,
} as const satisfies Readonly<Record<string, string | undefined>>);

/** An API v2 endpoint group; it decides the `cal-api-version` header. */
export type ApiEndpointGroup = keyof typeof API_VERSION_BY_GROUP;

/** The pinned `cal-api-version` values of the groups that need one. */
export const CAL_API_VERSIONS = {
  bookings: API_VERSION_BY_GROUP.bookings,
  slots: API_VERSION_BY_GROUP.slots,
  eventTypes: API_VERSION_BY_GROUP.eventTypes,
  schedules: API_VERSION_BY_GROUP.schedules,
} as const;

/** One of the pinned `cal-api-version` values. */
export type CalApiVersion = (typeof CAL_API_VERSIONS)[keyof typeof CAL_API_VERSIONS];

/**
 * The `cal-api-version` to send for `group`, or undefined when the group accepts any.
 * @throws CalcomError `invalid_input` for a group this table does not know (a caller outside TypeScript, or a typo).
 */
export function apiVersionFor(group: ApiEndpointGroup): string | undefined {
  if (!Object.hasOwn(API_VERSION_BY_GROUP, group)) {
    throw new CalcomError(
      'invalid_input',
      `Unknown Cal.com API endpoint group "${String(group)}"; expected one of ${Object.keys(API_VERSION_BY_GROUP).join(', ')}.`,
    );
  }
  return API_VERSION_BY_GROUP[group];
}
