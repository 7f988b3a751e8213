/**
 * What n8n's REST API (the editor's own backend, with the browser's session cookie) says about the
 * credential after "Connect": it exists once, n8n reports it connected, and its test passes.
 */
import { CREDENTIAL_BLANKING_VALUE } from 'n8n-workflow';
import type { BrowserSession } from './n8n-connect-ui';

interface CredentialSummary {
  id: string;
  name: string;
  type: string;
}

async function json<T>(response: { ok(): boolean; status(): number; text(): Promise<string> }, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export async function checkN8nCredentialApi(session: BrowserSession, baseUrl: string, name: string): Promise<{ id: string; summary: string }> {
  const request = session.context.request;
  const list = await json<{ data: CredentialSummary[] }>(await request.get(`${baseUrl}/rest/credentials`), 'GET /rest/credentials');
  const ours = list.data.filter((c) => c.type === 'calComOAuth2Api');
  if (ours.length !== 1 || !ours[0] || ours[0].name !== name) {
    throw new Error(`expected one calComOAuth2Api credential named "${name}", found ${JSON.stringify(ours.map((c) => c.name))}`);
  }
  const { id } = ours[0];

  // n8n never returns tokens over REST: a connected credential's oauthTokenData comes back redacted
  // (true), an unconnected one has none. The tokens themselves are read with the CLI export later.
  const one = await json<{ data: CredentialSummary & { data?: Record<string, unknown> } }>(
    await request.get(`${baseUrl}/rest/credentials/${id}?includeData=true`),
    `GET /rest/credentials/${id}`,
  );
  const data = one.data.data ?? {};
  if (!data.oauthTokenData) throw new Error(`n8n reports no oauthTokenData for credential ${id}: not connected`);
  if (typeof data.oauthTokenData === 'object' && JSON.stringify(data.oauthTokenData).includes('eyJ')) {
    throw new Error('n8n returned raw tokens over REST');
  }

  // The test endpoint puts stored values back only where it finds n8n's blanking sentinel (that is
  // how the editor sends redacted secrets back); the `true` it shows for tokens would be taken as is.
  const toTest = { ...data, oauthTokenData: CREDENTIAL_BLANKING_VALUE };
  const tested = await json<{ data: { status: string; message: string } }>(
    await request.post(`${baseUrl}/rest/credentials/test`, { data: { credentials: { id, name: one.data.name, type: one.data.type, data: toTest } } }),
    'POST /rest/credentials/test',
  );
  if (tested.data.status !== 'OK') throw new Error(`n8n's credential test failed: ${tested.data.status} ${tested.data.message}`);
  return { id, summary: `n8n REST: one calComOAuth2Api credential "${name}" (id ${id}), oauthTokenData present (redacted), credential test ${tested.data.status}` };
}
