import { randomBytes } from 'node:crypto';
import nock from 'nock';

/** Settings the app reads from the environment; every test starts from these. */
export const TEST_CLIENT_ID = 'zapier-test-client';
export const CLOUD_APP = 'https://app.cal.com';
export const CLOUD_API = 'https://api.cal.com';
export const REDIRECT_URI = 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/';

const APP_ENV_KEYS = ['CALCOM_INSTANCE', 'CALCOM_APP_URL', 'CALCOM_API_URL', 'CALCOM_TOKEN_SURFACE', 'CALCOM_SCOPES', 'CLIENT_ID', 'CLIENT_SECRET'];

/** A fresh opaque secret per call, so no token-looking literal lives in the repository. */
export function mint(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

/** Resets the app's environment to the cloud defaults with a fresh client secret; returns it. */
export function useCloudEnv(overrides: Record<string, string> = {}): { clientSecret: string } {
  for (const key of APP_ENV_KEYS) delete process.env[key];
  const clientSecret = mint('secret');
  Object.assign(process.env, { CLIENT_ID: TEST_CLIENT_ID, CLIENT_SECRET: clientSecret }, overrides);
  return { clientSecret };
}

/** Every test: no real network, no leftover interceptors, every declared interceptor used. */
export function guardNetwork(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    // Jest reuses the worker for the next test file, which loads its own nock: this one's interceptor
    // must go, or it would let that file's requests through to the real network.
    nock.restore();
  });
}

/** Runs `promise`, expecting a rejection; returns the error for closer checks. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, got a result');
}

/** The API v2 envelope Cal.com wraps successful answers in. */
export function success<T>(data: T, extra: Record<string, unknown> = {}): { status: 'success'; data: T } {
  return { status: 'success', data, ...extra };
}

/** Cal.com's 403 for an expired token on endpoints guarded by PermissionsGuard first. */
export function expiredTokenForbidden(token: string) {
  return {
    status: 'error',
    timestamp: new Date().toISOString(),
    path: '/v2/bookings',
    error: { code: 'ForbiddenException', message: `PermissionsGuard - no oAuth client found for access token=${token}` },
  };
}

/** Cal.com's 429 body; the wait is only in X-RateLimit-Reset-Default. */
export const THROTTLED_BODY = {
  status: 'error',
  error: { code: 'ThrottlerException', message: 'CustomThrottlerGuard - Too many requests. Please try again later.' },
};
