/**
 * The diagnosis's "first bookings page": one `GET /v2/bookings` built and parsed by the shared
 * bookings client (pinned `cal-api-version`, strict envelope check), newest first, summarised in a
 * few lines (no attendee data is printed).
 */
import { CAL_API_VERSIONS, buildBookingsRequest, processBookingsResponse, type CalcomInstance, type HttpExecutor } from '@calcom-oauth/shared';

export interface BookingsPageSummary {
  summary: string;
  lines: string[];
}

const SHOWN = 5;

export async function fetchFirstBookingsPage(instance: CalcomInstance, accessToken: string, execute: HttpExecutor): Promise<BookingsPageSummary> {
  const page = processBookingsResponse(await execute(buildBookingsRequest({ instance, accessToken, query: { take: SHOWN, sortCreated: 'desc' } })));
  const lines = page.bookings.map((booking) => `${booking.status.padEnd(9)} ${booking.start.slice(0, 16).replace('T', ' ')}  ${(booking.title ?? '(no title)').slice(0, 60)}`);
  for (const problem of page.problems) lines.push(`item ${problem.label} skipped: ${problem.problem}`);
  const skew = page.serverTime === undefined ? 'no Date header' : `server clock ${new Date(page.serverTime).toISOString().slice(0, 19)}Z`;
  return {
    summary: `${page.pagination.totalItems} in total, newest ${page.bookings.length} below (cal-api-version ${CAL_API_VERSIONS.bookings}, ${page.bytes} bytes, ${skew})`,
    lines,
  };
}
