/**
 * `cal-api-version` header values pinned per API v2 resource group.
 *
 * Cal.com routes each request by this header; a missing or unknown value silently falls back to the
 * 2024-04-15 controllers, which answer with an older response shape. Each group has its own newest
 * version, so one global value cannot be used.
 */
export const CAL_API_VERSIONS = {
  /** `GET /v2/bookings` and booking sub-resources. */
  bookings: '2024-08-13',
  /** `GET /v2/event-types`. */
  eventTypes: '2024-06-14',
  /** `GET /v2/schedules`. */
  schedules: '2024-06-11',
} as const;

/** One of the pinned `cal-api-version` values. */
export type CalApiVersion = (typeof CAL_API_VERSIONS)[keyof typeof CAL_API_VERSIONS];
