/**
 * The two platforms acting on bookings the way their users' workflows do, through the real adapter code:
 * the Zapier app's creates run by zapier-platform-core (the Zapier-like host), and the n8n "Cal.com" node's
 * execute() run by the n8n-like host. Each actor replays only as its platform does:
 * - Zapier: the host refreshes and replays once after RefreshAuthError; Zapier replays a ThrottledError
 *   after the delay it carries; a failed task is replayed once by the user;
 * - n8n: the host refreshes the credential and retries once; a failed execution is re-run once by the
 *   user, after waiting out a 429.
 */
import '../hosts/zapier-long-run';
import type { IDataObject } from 'n8n-workflow';

import App from '../../zapier-app/src/index';
import { CalComOAuth2Api } from '../../n8n-node/credentials/CalComOAuth2Api.credentials';
// By its full name: the codex CalCom.node.json beside it is what tsx would load for the extensionless path.
import { CalCom } from '../../n8n-node/nodes/CalCom/CalCom.node.ts';
import type { Emulator } from '../emulator';
import { N8nCredentialStore, N8nHost } from '../hosts/n8n-host';
import { createZapierHost, messageOf, type ZapierHost } from '../hosts/zapier-host';

export type ActionKind = 'create' | 'cancel' | 'reschedule';

export type Action =
  | { kind: 'create'; eventTypeId: number; start: string; attendeeName: string; attendeeEmail: string }
  | { kind: 'cancel'; uid: string; reason: string }
  | { kind: 'reschedule'; uid: string; start: string };

/** How one action ended, as the platform reported it to its user. */
export interface ActionReport {
  ok: boolean;
  /** The booking the action left: the created one, the cancelled one, or the new one of a reschedule. */
  uid?: string;
  start?: string;
  /** The core's `recovered` marker on the output. */
  recovered?: string;
  /** What the platform did on the way, in order: `retried after refresh`, `waited out 429`, `user re-ran after <kind>`. */
  steps: string[];
  /** The failure kind the user finally saw, when `ok` is false. */
  failure?: string;
  /** The message the user finally saw, when `ok` is false. */
  message?: string;
}

export interface Actor {
  readonly name: 'zapier' | 'n8n';
  run(action: Action): Promise<ActionReport>;
}

const ZAPIER_CREATE_KEYS: Record<ActionKind, string> = { create: 'create_booking', cancel: 'cancel_booking', reschedule: 'reschedule_booking' };

function zapierInput(action: Action): Record<string, unknown> {
  if (action.kind === 'create') {
    return { eventTypeId: action.eventTypeId, start: action.start, attendeeName: action.attendeeName, attendeeEmail: action.attendeeEmail, attendeeTimeZone: 'UTC' };
  }
  if (action.kind === 'cancel') return { uid: action.uid, reason: action.reason };
  return { uid: action.uid, start: action.start };
}

/** Core's AppError and ThrottledError carry JSON in their message (`{message, code}`, `{message, delay}`). */
function zapierPayload(error: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(error instanceof Error ? error.message : '');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function zapierFailureKind(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  if (name === 'ThrottledError' || name === 'ExpiredAuthError' || name === 'RefreshAuthError') return name;
  const code = zapierPayload(error).code;
  return typeof code === 'string' ? code : name;
}

/** Zapier replays a throttled step after its delay; a few times at most. */
const ZAPIER_THROTTLE_REPLAYS = 3;

export function zapierActor(emulator: Emulator, client: { clientId: string; clientSecret?: string }, authData: Record<string, string>): Actor & { host: ZapierHost } {
  const steps: string[] = [];
  const host = createZapierHost({
    app: App,
    authData,
    env: {
      CALCOM_INSTANCE: 'self-hosted',
      CALCOM_APP_URL: emulator.appUrl,
      CALCOM_API_URL: emulator.apiUrl,
      CALCOM_TOKEN_SURFACE: 'v2',
      CLIENT_ID: client.clientId,
      CLIENT_SECRET: client.clientSecret ?? '',
    },
    onEvent: (event) => {
      if (event.type === 'refresh' && event.ok) steps.push('retried after refresh');
    },
  });

  async function oneTask(action: Action): Promise<Record<string, unknown>> {
    for (let replay = 0; ; replay += 1) {
      try {
        return await host.runCreate(ZAPIER_CREATE_KEYS[action.kind], zapierInput(action));
      } catch (error) {
        const delay = zapierPayload(error).delay;
        if (zapierFailureKind(error) !== 'ThrottledError' || replay >= ZAPIER_THROTTLE_REPLAYS) throw error;
        steps.push('waited out 429');
        // Cal.com's clock is the emulator's: moving it ends the block exactly as waiting would.
        emulator.clock.advance(typeof delay === 'number' ? delay : 60);
      }
    }
  }

  return {
    name: 'zapier',
    host,
    async run(action) {
      steps.length = 0;
      for (let run = 1; ; run += 1) {
        try {
          const item = await oneTask(action);
          return {
            ok: true,
            uid: String(item.bookingUid ?? item.id),
            start: String(item.start),
            ...(typeof item.recovered === 'string' ? { recovered: item.recovered } : {}),
            steps: [...steps],
          };
        } catch (error) {
          const kind = zapierFailureKind(error);
          if (run >= 2) return { ok: false, failure: kind, message: messageOf(error), steps: [...steps] };
          steps.push(`user re-ran after ${kind}`);
        }
      }
    },
  };
}

function n8nParameters(action: Action): IDataObject {
  const booking = (uid: string) => ({ __rl: true, mode: 'uid', value: uid });
  if (action.kind === 'create') {
    return {
      resource: 'booking',
      operation: 'create',
      eventType: { __rl: true, mode: 'id', value: String(action.eventTypeId) },
      start: action.start,
      attendeeName: action.attendeeName,
      attendeeEmail: action.attendeeEmail,
      attendeeTimeZone: 'UTC',
      additionalFields: {},
    };
  }
  if (action.kind === 'cancel') return { resource: 'booking', operation: 'cancel', booking: booking(action.uid), additionalFields: { reason: action.reason } };
  return { resource: 'booking', operation: 'reschedule', booking: booking(action.uid), start: action.start, additionalFields: {} };
}

/** The kind of a failed n8n execution: the core's kind, kept in NodeApiError's body or told by the message. */
export function n8nFailureKind(error: unknown): string {
  const candidate = (error ?? {}) as { errorResponse?: { kind?: unknown }; message?: unknown; name?: unknown };
  if (typeof candidate.errorResponse?.kind === 'string') return candidate.errorResponse.kind;
  // Without an answer from Cal.com (a time-out, a reset) the node raises a NodeOperationError with the core's message.
  if (typeof candidate.message === 'string' && /may or may not have happened/.test(candidate.message)) return 'write_outcome_unknown';
  return typeof candidate.name === 'string' ? candidate.name : 'Error';
}

function n8nRetryAfter(error: unknown): number {
  const wait = (error as { errorResponse?: { retryAfterSeconds?: unknown } } | null)?.errorResponse?.retryAfterSeconds;
  return typeof wait === 'number' ? wait : 60;
}

export function n8nActor(emulator: Emulator, client: { clientId: string; clientSecret?: string }, tokens: { access_token: string; refresh_token: string; expires_in: number }): Actor & { credential: N8nCredentialStore } {
  const steps: string[] = [];
  // One stored credential for every execution, as in an n8n instance.
  const credential = new N8nCredentialStore({
    instance: 'self-hosted',
    appUrl: emulator.appUrl,
    apiUrl: emulator.apiUrl,
    scopes: ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ', 'PROFILE_READ'],
    clientId: client.clientId,
    clientSecret: client.clientSecret ?? '',
    oauthTokenData: { ...tokens, token_type: 'bearer', n8n_expires_at: String(emulator.clock.now() + tokens.expires_in * 1000) },
  });
  const node = new CalCom();
  const credentialType = new CalComOAuth2Api();

  const execute = (action: Action) =>
    new N8nHost({
      nodeType: node,
      credentialType,
      credential,
      parameters: n8nParameters(action),
      nodeName: 'Cal.com',
      now: () => emulator.clock.now(),
      onEvent: (event) => {
        if (event.type === 'refresh' && event.status < 400) steps.push('retried after refresh');
      },
    }).execute();

  return {
    name: 'n8n',
    credential,
    async run(action) {
      steps.length = 0;
      for (let run = 1; ; run += 1) {
        try {
          const [item] = (await execute(action)).flat();
          const json = item?.json ?? {};
          return {
            ok: true,
            uid: String(json.uid),
            start: String(json.start),
            ...(typeof json.recovered === 'string' ? { recovered: json.recovered } : {}),
            steps: [...steps],
          };
        } catch (error) {
          const kind = n8nFailureKind(error);
          if (run >= 2) return { ok: false, failure: kind, message: (error as { message?: string }).message ?? String(error), steps: [...steps] };
          if (kind === 'rate_limited') {
            steps.push('waited out 429');
            emulator.clock.advance(n8nRetryAfter(error));
          }
          steps.push(`user re-ran after ${kind}`);
        }
      }
    },
  };
}
