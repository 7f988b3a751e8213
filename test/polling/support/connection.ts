import {
  buildRefreshRequest,
  classifyNetworkError,
  processTokenResponse,
  type HttpExecutor,
  type HttpRequest,
  type HttpResponse,
} from '@calcom-oauth/shared';
import type { Emulator } from '../../emulator/index';

/** Executes requests with Node's fetch; gives up after `timeoutMs` (the emulator's `timeout` fault never answers). */
export function fetchExecutor(timeoutMs: number): HttpExecutor {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  };
}

/**
 * One Cal.com connection against the emulator: tokens minted by the emulator, refreshed through the
 * core's legacy refresh request when Cal.com refuses the access token.
 */
export class EmulatorConnection {
  accessToken: string;
  private refreshToken: string;
  refreshes = 0;

  constructor(
    private readonly emulator: Emulator,
    private readonly execute: HttpExecutor,
  ) {
    const tokens = emulator.mintTokens({ clientId: emulator.seeded.clients.legacy.clientId });
    this.accessToken = tokens.access_token;
    this.refreshToken = tokens.refresh_token;
  }

  get instance() {
    return { kind: 'self-hosted' as const, appUrl: this.emulator.appUrl, apiUrl: this.emulator.apiUrl };
  }

  /** Refreshes once; the refresh itself is retried on transient failures (faults may hit it). */
  async refresh(): Promise<void> {
    const client = this.emulator.seeded.clients.legacy;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const request = buildRefreshRequest({
          surface: 'legacy',
          instance: this.instance,
          clientId: client.clientId,
          ...(client.clientSecret === undefined ? {} : { clientSecret: client.clientSecret }),
          refreshToken: this.refreshToken,
        });
        const response = await this.execute(request).catch((error: unknown) => {
          throw classifyNetworkError(error);
        });
        const tokens = processTokenResponse(response, { previousRefreshToken: this.refreshToken, surface: 'legacy' });
        this.accessToken = tokens.accessToken;
        if (tokens.refreshToken !== undefined) this.refreshToken = tokens.refreshToken;
        this.refreshes += 1;
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  }
}
