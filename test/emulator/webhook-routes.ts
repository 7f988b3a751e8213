import { randomUUID } from 'node:crypto';
import { authenticateV2 } from './api-auth';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import { jsonObjectBody } from './strict-input';
import type { EventType, User, Webhook } from './types';
import { v2Error, v2ValidationError } from './v2-errors';
import { DEFAULT_WEBHOOK_VERSION, parseWebhookFields, subscriberUrlRefusal, type WebhookFields } from './webhook-rules';

/**
 * API v2 webhook resources (shared/CALCOM.md §18):
 * - user webhooks, `apps/api/v2/src/modules/webhooks/controllers/webhooks.controller.ts`
 *   (`WEBHOOK_WRITE` / `WEBHOOK_READ`, `guards/is-user-webhook-guard.ts`);
 * - event-type webhooks, `modules/event-types/controllers/event-types-webhooks.controller.ts`
 *   (`EVENT_TYPE_WRITE` / `EVENT_TYPE_READ`, `modules/webhooks/guards/is-user-event-type-webhook-guard.ts`).
 * Both controllers accept any `cal-api-version`.
 */

const MAX_TAKE = 250;

type Scoped = { ok: true; user: User } | { ok: false; response: EmuResponse };

function guard(state: EmulatorState, oauth: OAuthService, req: EmuRequest, requiredScope: string): Scoped {
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: false, requiredScope });
  return auth.ok ? { ok: true, user: auth.user } : auth;
}

const success = (status: number, data: unknown): EmuResponse => jsonResponse(status, { status: 'success', data });

/** `WebhookOutputPipe`: `triggers` from `eventTriggers`; the secret in clear; `userId` or `eventTypeId`. */
export function webhookOutput(webhook: Webhook): Record<string, unknown> {
  return {
    id: webhook.id,
    ...(webhook.eventTypeId !== null ? { eventTypeId: webhook.eventTypeId } : { userId: webhook.userId }),
    subscriberUrl: webhook.subscriberUrl, triggers: [...webhook.eventTriggers], active: webhook.active,
    payloadTemplate: webhook.payloadTemplate, secret: webhook.secret, version: webhook.version,
    time: webhook.time, timeUnit: webhook.timeUnit,
  };
}

function parseBody(state: EmulatorState, req: EmuRequest, mode: 'create' | 'update'): { ok: true; fields: WebhookFields } | { ok: false; response: EmuResponse } {
  const parsed = jsonObjectBody(req.rawBody);
  if (!parsed.ok) return { ok: false, response: v2Error(state, req, 400, 'BadRequestException', parsed.message) };
  const result = parseWebhookFields(parsed.body, mode);
  if (!result.ok) return { ok: false, response: v2ValidationError(state, req, result.messages) };
  if (result.fields.subscriberUrl !== undefined) {
    const refusal = subscriberUrlRefusal(result.fields.subscriberUrl, state.settings.allowLoopbackWebhooks);
    if (refusal) return { ok: false, response: v2Error(state, req, 400, 'BadRequestException', refusal) };
  }
  return { ok: true, fields: result.fields };
}

function newWebhook(state: EmulatorState, owner: { userId: number; eventTypeId: number | null }, fields: WebhookFields): Webhook {
  return {
    id: randomUUID(), userId: owner.userId, teamId: null, eventTypeId: owner.eventTypeId,
    eventTriggers: fields.triggers ?? [], subscriberUrl: fields.subscriberUrl ?? '', active: fields.active ?? true,
    appId: null, createdAt: state.clock.now(), payloadTemplate: fields.payloadTemplate ?? null, secret: fields.secret ?? null,
    platform: false, time: fields.time ?? null, timeUnit: fields.timeUnit ?? null, version: fields.version ?? DEFAULT_WEBHOOK_VERSION,
  };
}

function applyUpdate(webhook: Webhook, fields: WebhookFields): void {
  if (fields.subscriberUrl !== undefined) webhook.subscriberUrl = fields.subscriberUrl;
  if (fields.triggers !== undefined) webhook.eventTriggers = fields.triggers;
  if (fields.active !== undefined) webhook.active = fields.active;
  if (fields.secret !== undefined) webhook.secret = fields.secret;
  if (fields.payloadTemplate !== undefined) webhook.payloadTemplate = fields.payloadTemplate;
  if (fields.version !== undefined) webhook.version = fields.version;
  if (fields.time !== undefined) webhook.time = fields.time;
  if (fields.timeUnit !== undefined) webhook.timeUnit = fields.timeUnit;
}

function page(state: EmulatorState, req: EmuRequest, all: Webhook[]): EmuResponse {
  const skip = Math.max(0, Number(req.url.searchParams.get('skip') ?? 0) || 0);
  const takeRaw = req.url.searchParams.get('take');
  const take = takeRaw === null ? MAX_TAKE : Number(takeRaw);
  if (!Number.isInteger(take) || take < 1 || take > MAX_TAKE) return v2ValidationError(state, req, [`take must not be greater than ${MAX_TAKE}`]);
  return success(200, all.slice(skip, skip + take).map(webhookOutput));
}

/** The `@@unique([userId, subscriberUrl])` / `[eventTypeId, subscriberUrl]` check of the services, as a 409. */
function conflict(state: EmulatorState, req: EmuRequest, candidates: Webhook[], url: string, self: string | null, owner: 'user' | 'event type'): EmuResponse | null {
  if (!candidates.some((w) => w.subscriberUrl === url && w.id !== self)) return null;
  return v2Error(state, req, 409, 'ConflictException', `Webhook with this subscriber url already exists for this ${owner}`);
}

// ---- user webhooks: /v2/webhooks[/:webhookId] -------------------------------------------------------------

/** A user's own webhooks: every row with its `userId` and no event type (Zapier subscriptions included, as in Cal.com). */
function userWebhooks(state: EmulatorState, userId: number): Webhook[] {
  return [...state.store.webhooks.values()].filter((w) => w.userId === userId && w.eventTypeId === null);
}

export function userWebhooksRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const write = req.method === 'POST';
  const auth = guard(state, oauth, req, write ? 'WEBHOOK_WRITE' : 'WEBHOOK_READ');
  if (!auth.ok) return auth.response;
  if (!write) return page(state, req, userWebhooks(state, auth.user.id));
  const body = parseBody(state, req, 'create');
  if (!body.ok) return body.response;
  const clash = conflict(state, req, userWebhooks(state, auth.user.id), body.fields.subscriberUrl ?? '', null, 'user');
  if (clash) return clash;
  const webhook = newWebhook(state, { userId: auth.user.id, eventTypeId: null }, body.fields);
  state.store.webhooks.set(webhook.id, webhook);
  return success(201, webhookOutput(webhook));
}

export function userWebhookRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, webhookId = ''): EmuResponse {
  const auth = guard(state, oauth, req, req.method === 'GET' ? 'WEBHOOK_READ' : 'WEBHOOK_WRITE');
  if (!auth.ok) return auth.response;
  const webhook = state.store.webhooks.get(webhookId);
  if (!webhook) return v2Error(state, req, 404, 'NotFoundException', `Webhook (${webhookId}) not found`);
  // IsUserWebhookGuard compares `webhook.userId`; an event-type webhook has none.
  if (webhook.userId !== auth.user.id || webhook.eventTypeId !== null) {
    return v2Error(state, req, 403, 'ForbiddenException', `IsUserWebhookGuard - user with id=(${auth.user.id}) is not the owner of webhook with id=(${webhookId})`);
  }
  return oneWebhook(state, req, webhook, () => userWebhooks(state, auth.user.id), 'user');
}

function oneWebhook(state: EmulatorState, req: EmuRequest, webhook: Webhook, siblings: () => Webhook[], owner: 'user' | 'event type'): EmuResponse {
  if (req.method === 'GET') return success(200, webhookOutput(webhook));
  if (req.method === 'DELETE') {
    state.store.webhooks.delete(webhook.id);
    return success(200, webhookOutput(webhook));
  }
  const body = parseBody(state, req, 'update');
  if (!body.ok) return body.response;
  if (body.fields.subscriberUrl !== undefined) {
    const clash = conflict(state, req, siblings(), body.fields.subscriberUrl, webhook.id, owner);
    if (clash) return clash;
  }
  applyUpdate(webhook, body.fields);
  return success(200, webhookOutput(webhook));
}

// ---- event-type webhooks: /v2/event-types/:eventTypeId/webhooks[/:webhookId] ---------------------------------

function eventTypeWebhooks(state: EmulatorState, eventTypeId: number): Webhook[] {
  return [...state.store.webhooks.values()].filter((w) => w.eventTypeId === eventTypeId);
}

/** `IsUserEventTypeWebhookGuard`: the event type must be the user's own personal one (team event types: 403). */
function ownEventType(state: EmulatorState, req: EmuRequest, user: User, rawId: string): EventType | EmuResponse {
  const eventType = /^\d+$/.test(rawId) ? state.store.eventTypes.get(Number(rawId)) : undefined;
  if (!eventType) return v2Error(state, req, 404, 'NotFoundException', `Event type (${rawId}) not found`);
  if (eventType.userId !== user.id || (eventType.teamId ?? null) !== null) {
    return v2Error(state, req, 403, 'ForbiddenException', `IsUserEventTypeWebhookGuard - User (${user.id}) is not authorized to access event type (${rawId})`);
  }
  return eventType;
}

/** One handler for both paths: the router passes one parameter, so the ids are read from the path. */
export function eventTypeWebhooksRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const [, , , eventTypeRaw = '', , webhookId] = req.url.pathname.replace(/\/+$/, '').split('/').map((s) => decodeURIComponent(s));
  const auth = guard(state, oauth, req, req.method === 'GET' ? 'EVENT_TYPE_READ' : 'EVENT_TYPE_WRITE');
  if (!auth.ok) return auth.response;
  const eventType = ownEventType(state, req, auth.user, eventTypeRaw);
  if (!('id' in eventType)) return eventType;
  const siblings = (): Webhook[] => eventTypeWebhooks(state, eventType.id);
  if (webhookId === undefined) {
    if (req.method === 'GET') return page(state, req, siblings());
    if (req.method === 'DELETE') {
      const doomed = siblings();
      for (const w of doomed) state.store.webhooks.delete(w.id);
      return success(200, `${doomed.length} webhooks deleted`);
    }
    const body = parseBody(state, req, 'create');
    if (!body.ok) return body.response;
    const clash = conflict(state, req, siblings(), body.fields.subscriberUrl ?? '', null, 'event type');
    if (clash) return clash;
    const webhook = newWebhook(state, { userId: eventType.userId, eventTypeId: eventType.id }, body.fields);
    state.store.webhooks.set(webhook.id, webhook);
    return success(201, webhookOutput(webhook));
  }
  const webhook = state.store.webhooks.get(webhookId);
  if (!webhook) return v2Error(state, req, 404, 'NotFoundException', `Webhook (${webhookId}) not found`);
  if (webhook.eventTypeId !== eventType.id) {
    return v2Error(state, req, 403, 'ForbiddenException', `IsUserEventTypeWebhookGuard - webhook (${webhookId}) does not belong to event type (${eventType.id})`);
  }
  return oneWebhook(state, req, webhook, siblings, 'event type');
}
