/** Small HTTP helpers shared by the emulator's own tests (plain Node fetch, no client library). */
import type { ClientCredentials, Emulator } from './index';

export const BOOKINGS_VERSION = { 'cal-api-version': '2024-08-13' };

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export async function getJson(url: string, token: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

/** Approves headlessly and returns the code. */
export function authorizeCode(emu: Emulator, client: ClientCredentials, scopes: string[], extra: { codeChallenge?: string; codeChallengeMethod?: string } = {}): string {
  const location = emu.approveHeadless({ clientId: client.clientId, redirectUri: client.redirectUris[0] as string, scopes, state: 'st', ...extra });
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

/** Full legacy code exchange; returns the parsed token body. */
export async function exchangeLegacy(emu: Emulator, client: ClientCredentials, scopes: string[]): Promise<{ access_token: string; refresh_token: string; [key: string]: unknown }> {
  const code = authorizeCode(emu, client, scopes);
  const res = await postForm(`${emu.appUrl}/api/auth/oauth/token`, {
    grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret ?? '', redirect_uri: client.redirectUris[0] as string,
  });
  if (res.status !== 200) throw new Error(`exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { access_token: string; refresh_token: string };
}
