/**
 * The diagnosis's "first bookings page": one `GET /v2/bookings` with the pinned `cal-api-version`,
 * newest first, summarised in a few lines (no attendee data is printed).
 */
import {
  CAL_API_VERSIONS,
  CalcomError,
  buildApiRequest,
  classifyResponse,
  isRecord,
  parseJsonBody,
  type CalcomInstance,
  type HttpExecutor,
} from '@calcom-oauth/shared';

export interface BookingsPageSummary {
  summary: string;
  lines: string[];
}

const SHOWN = 5;

export async function fetchFirstBookingsPage(instance: CalcomInstance, accessToken: string, execute: HttpExecutor): Promise<BookingsPageSummary> {
  const request = buildApiRequest({
    instance,
    path: '/v2/bookings',
    query: { take: SHOWN, sortCreated: 'desc' },
    apiVersion: CAL_API_VERSIONS.bookings,
    accessToken,
  });
  const response = await execute(request);
  const failure = classifyResponse(response, { endpoint: 'GET /v2/bookings', knownSecrets: [accessToken] });
  if (failure !== undefined) throw failure;
  const body = parseJsonBody(response, 'GET /v2/bookings');
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new CalcomError('malformed_response', "Cal.com's answer to GET /v2/bookings has no data list; check that the API URL points at Cal.com API v2.");
  }
  const total = isRecord(body.pagination) && typeof body.pagination.totalItems === 'number' ? body.pagination.totalItems : undefined;
  const lines = body.data.slice(0, SHOWN).map((item) => {
    if (!isRecord(item)) return '(an item that is not an object)';
    const status = typeof item.status === 'string' ? item.status : '?';
    const start = typeof item.start === 'string' ? item.start.slice(0, 16).replace('T', ' ') : '?';
    const title = typeof item.title === 'string' ? item.title.slice(0, 60) : '(no title)';
    return `${status.padEnd(9)} ${start}  ${title}`;
  });
  const count = total === undefined ? `${body.data.length} on the first page` : `${total} in total`;
  return { summary: `${count}, newest ${Math.min(SHOWN, body.data.length)} below (cal-api-version ${CAL_API_VERSIONS.bookings})`, lines };
}
