import { buildBookingsRequest, processBookingsResponse, skippedBookingWarning } from '../api/bookings';
import type { BookingsPage, BookingsQuery } from '../api/booking-types';
import { classifyNetworkError } from '../classify';
import { CalcomError } from '../errors';
import type { HttpExecutor, HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { requestSecrets, type KnownSecrets } from '../request-secrets';

/** Request and byte counts of one poll. */
export interface PollStats {
  requests: number;
  /** Response body bytes received. */
  bytes: number;
}

/**
 * What an executor's rejection means for a poll. Time-outs and connection failures become
 * `server_unavailable`; a {@link CalcomError} stays as it is; anything else is a platform's own
 * control error (Zapier's RefreshAuthError or ThrottledError thrown by its middleware, for example)
 * and must reach the platform unchanged, or its refresh and retry logic would never run.
 */
export function asPollFailure(error: unknown, knownSecrets: KnownSecrets = []): unknown {
  if (error instanceof CalcomError) return error;
  const classified = classifyNetworkError(error, { endpoint: 'GET /v2/bookings', knownSecrets });
  return classified.code === undefined ? error : classified;
}

/**
 * Sends bookings queries through the caller's executor and keeps the poll's cost figures and
 * warnings. One per poll.
 */
export class BookingsReader {
  readonly stats: PollStats = { requests: 0, bytes: 0 };
  private readonly warningSet = new Set<string>();

  constructor(
    private readonly instance: Pick<CalcomInstance, 'apiUrl'>,
    private readonly execute: HttpExecutor,
    private readonly accessToken: string | undefined,
    /** The connection's secrets that the requests do not carry (a token the platform adds itself). */
    private readonly knownSecrets: KnownSecrets = [],
  ) {}

  /** Reads one page. Network failures and error statuses become {@link CalcomError}s. */
  async page(query: BookingsQuery): Promise<BookingsPage> {
    const request: HttpRequest = buildBookingsRequest({
      instance: this.instance,
      query,
      ...(this.accessToken === undefined ? {} : { accessToken: this.accessToken }),
    });
    const knownSecrets = [...requestSecrets(request), ...this.knownSecrets];
    let response: HttpResponse;
    this.stats.requests += 1;
    try {
      response = await this.execute(request);
    } catch (error) {
      throw asPollFailure(error, knownSecrets);
    }
    if (response === null || typeof response !== 'object' || typeof response.status !== 'number') {
      throw new CalcomError('malformed_response', 'The HTTP client returned no response for GET /v2/bookings; this is a bug in the integration.');
    }
    const page = processBookingsResponse(response, { knownSecrets });
    this.stats.bytes += page.bytes;
    for (const problem of page.problems) this.warn(skippedBookingWarning(problem.label, problem.problem));
    return page;
  }

  warn(message: string): void {
    this.warningSet.add(message);
  }

  get warnings(): string[] {
    return [...this.warningSet];
  }
}
