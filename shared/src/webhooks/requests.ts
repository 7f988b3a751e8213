import { successData, type ExpectedAnswer } from '../actions/booking-response';
import { buildApiRequest } from '../api/request';
import { isRecord } from '../body';
import { requiredScopeOf } from '../endpoint-scopes';
import { CalcomError } from '../errors';
import { isCalcomId } from '../event-type-ids';
import type { HttpMethod, HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets, type KnownSecrets } from '../request-secrets';
import { WEBHOOK_PAYLOAD_VERSION } from './triggers';

/**
 * Which webhook resource a subscription lives on (CALCOM.md §18): the user's own webhooks, which fire
 * for all their bookings, or one event type's, used when the user filters by event types.
 */
export interface WebhookTarget {
  /** Absent: `/v2/webhooks` (WEBHOOK_WRITE / WEBHOOK_READ). Set: `/v2/event-types/{id}/webhooks` (EVENT_TYPE_WRITE / EVENT_TYPE_READ). */
  eventTypeId?: number;
}

/** A webhook as Cal.com answers it. `secret` comes back in clear: never log it. */
export interface CalcomWebhook {
  /** A UUID string (Cal.com's OpenAPI says number; its repository writes `uuidv4()`). */
  id: string;
  subscriberUrl: string;
  triggers: string[];
  active: boolean;
  secret: string | null;
  eventTypeId?: number;
  version?: string;
}

/** What a subscription sends on create and update. */
export interface WebhookFields {
  subscriberUrl: string;
  triggers: readonly string[];
  secret: string;
}

type Operation = 'create' | 'list' | 'get' | 'update' | 'delete';

const METHOD: Readonly<Record<Operation, HttpMethod>> = { create: 'POST', list: 'GET', get: 'GET', update: 'PATCH', delete: 'DELETE' };
const STATUSES: Readonly<Record<Operation, readonly number[]>> = { create: [201, 200], list: [200], get: [200], update: [200], delete: [200, 204] };
/** Cal.com's largest `take` on webhook lists. */
export const WEBHOOK_LIST_PAGE_SIZE = 250;

function checkTarget(target: WebhookTarget): number | undefined {
  if (target.eventTypeId === undefined) return undefined;
  if (!isCalcomId(target.eventTypeId)) throw new CalcomError('invalid_input', `Event type id ${JSON.stringify(target.eventTypeId)} is not a Cal.com id (a positive whole number).`);
  return target.eventTypeId;
}

function checkWebhookId(id: unknown): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(id)) {
    throw new CalcomError('invalid_input', `Webhook id ${JSON.stringify(id)} is not a Cal.com webhook id (a UUID string); subscribe again.`);
  }
  return id;
}

/** How messages and the scope table name the endpoint: `POST /v2/event-types/{eventTypeId}/webhooks`. */
export function webhookEndpoint(operation: Operation, target: WebhookTarget): string {
  const base = target.eventTypeId === undefined ? '/v2/webhooks' : '/v2/event-types/{eventTypeId}/webhooks';
  const path = operation === 'create' || operation === 'list' ? base : `${base}/{webhookId}`;
  return `${METHOD[operation]} ${path}`;
}

function pathOf(target: WebhookTarget, webhookId?: string): string {
  const eventTypeId = checkTarget(target);
  const base = eventTypeId === undefined ? '/v2/webhooks' : `/v2/event-types/${eventTypeId}/webhooks`;
  return webhookId === undefined ? base : `${base}/${encodeURIComponent(checkWebhookId(webhookId))}`;
}

function checkFields(fields: WebhookFields): WebhookFields {
  if (typeof fields.subscriberUrl !== 'string' || !/^https?:\/\//i.test(fields.subscriberUrl)) {
    throw new CalcomError('invalid_input', 'The webhook subscriber URL must be an http(s) URL (Cal.com accepts only HTTPS to public hosts).');
  }
  if (!Array.isArray(fields.triggers) || fields.triggers.length === 0 || fields.triggers.some((trigger) => typeof trigger !== 'string' || !/^[A-Z_]+$/.test(trigger))) {
    throw new CalcomError('invalid_input', 'A webhook needs at least one Cal.com trigger name (BOOKING_CREATED...).');
  }
  if (typeof fields.secret !== 'string' || fields.secret.length < 16) {
    throw new CalcomError('invalid_input', 'A webhook needs a generated secret (createWebhookSecret); unsigned deliveries cannot be trusted.');
  }
  return fields;
}

function request(instance: Pick<CalcomInstance, 'apiUrl'>, target: WebhookTarget, operation: Operation, options: { webhookId?: string; body?: Record<string, string | boolean | readonly string[]>; query?: Record<string, number> } = {}): HttpRequest {
  return buildApiRequest({
    instance,
    method: METHOD[operation],
    path: pathOf(target, options.webhookId),
    group: target.eventTypeId === undefined ? 'webhooks' : 'eventTypes',
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

function writeBody(fields: WebhookFields): Record<string, string | boolean | readonly string[]> {
  const checked = checkFields(fields);
  // `triggers`, not `eventTriggers` (silently stripped on PATCH); `active` has no default on create.
  return { subscriberUrl: checked.subscriberUrl, triggers: [...checked.triggers], active: true, secret: checked.secret, version: WEBHOOK_PAYLOAD_VERSION };
}

/** Describes the creation of an active, signed webhook. */
export function buildCreateWebhookRequest(instance: Pick<CalcomInstance, 'apiUrl'>, target: WebhookTarget, fields: WebhookFields): HttpRequest {
  return request(instance, target, 'create', { body: writeBody(fields) });
}

/** Describes an update that makes an existing webhook ours: same URL, our triggers and secret, active. */
export function buildUpdateWebhookRequest(instance: Pick<CalcomInstance, 'apiUrl'>, target: WebhookTarget, webhookId: string, fields: WebhookFields): HttpRequest {
  return request(instance, target, 'update', { webhookId, body: writeBody(fields) });
}

/** Describes one page of the target's webhooks (`skip` counts webhooks). */
export function buildListWebhooksRequest(instance: Pick<CalcomInstance, 'apiUrl'>, target: WebhookTarget, skip = 0): HttpRequest {
  return request(instance, target, 'list', { query: { take: WEBHOOK_LIST_PAGE_SIZE, skip } });
}

export function buildGetWebhookRequest(instance: Pick<CalcomInstance, 'apiUrl'>, target: WebhookTarget, webhookId: string): HttpRequest {
  return request(instance, target, 'get', { webhookId });
}

export function buildDeleteWebhookRequest(instance: Pick<CalcomInstance, 'apiUrl'>, target: WebhookTarget, webhookId: string): HttpRequest {
  return request(instance, target, 'delete', { webhookId });
}

function expected(operation: Operation, target: WebhookTarget): ExpectedAnswer {
  const endpoint = webhookEndpoint(operation, target);
  const scope = requiredScopeOf(endpoint);
  return { endpoint, statuses: STATUSES[operation], ...(scope === null ? {} : { scope }) };
}

function malformed(endpoint: string, problem: string, status: number): CalcomError {
  return new CalcomError('malformed_response', `Cal.com answered ${endpoint} with a webhook that cannot be used: ${problem}.`, { status });
}

function checkedWebhook(item: unknown, endpoint: string, status: number): CalcomWebhook {
  if (!isRecord(item)) throw malformed(endpoint, 'it is not an object', status);
  if (typeof item.id !== 'string' || item.id === '') throw malformed(endpoint, `its id is ${JSON.stringify(item.id ?? null)} instead of a UUID string`, status);
  if (typeof item.subscriberUrl !== 'string') throw malformed(endpoint, 'it has no subscriberUrl', status);
  if (!Array.isArray(item.triggers) || item.triggers.some((trigger) => typeof trigger !== 'string')) throw malformed(endpoint, 'its triggers are not a list of names', status);
  if (typeof item.active !== 'boolean') throw malformed(endpoint, 'its active flag is not true or false', status);
  if (item.secret !== null && item.secret !== undefined && typeof item.secret !== 'string') throw malformed(endpoint, 'its secret is not text', status);
  const webhook: CalcomWebhook = { id: item.id, subscriberUrl: item.subscriberUrl, triggers: [...(item.triggers as string[])], active: item.active, secret: (item.secret as string | null | undefined) ?? null };
  if (isCalcomId(item.eventTypeId)) webhook.eventTypeId = item.eventTypeId;
  if (typeof item.version === 'string') webhook.version = item.version;
  return webhook;
}

export interface WebhookProcessOptions {
  /** The webhook's secret and the connection's tokens: never in a message. */
  knownSecrets?: KnownSecrets;
}

function processOne(operation: Exclude<Operation, 'list'>, response: HttpResponse, target: WebhookTarget, options: WebhookProcessOptions): CalcomWebhook {
  const answer = expected(operation, target);
  const knownSecrets = options.knownSecrets ?? [];
  return withKnownSecrets(knownSecrets, () => checkedWebhook(successData(response, answer, knownSecrets), answer.endpoint, response.status));
}

/**
 * Reads the answer to {@link buildCreateWebhookRequest}. A 409 (the subscriber URL is already in
 * use) is `bad_request` with status 409; {@link subscribeWebhooks} resolves it.
 */
export function processCreateWebhookResponse(response: HttpResponse, target: WebhookTarget, options: WebhookProcessOptions = {}): CalcomWebhook {
  return processOne('create', response, target, options);
}

export function processUpdateWebhookResponse(response: HttpResponse, target: WebhookTarget, options: WebhookProcessOptions = {}): CalcomWebhook {
  return processOne('update', response, target, options);
}

export function processGetWebhookResponse(response: HttpResponse, target: WebhookTarget, options: WebhookProcessOptions = {}): CalcomWebhook {
  return processOne('get', response, target, options);
}

/** Reads a delete answer (Cal.com returns the deleted webhook; only success is checked). */
export function processDeleteWebhookResponse(response: HttpResponse, target: WebhookTarget, options: WebhookProcessOptions = {}): void {
  const answer = expected('delete', target);
  const knownSecrets = options.knownSecrets ?? [];
  if (response.status === 204) return;
  withKnownSecrets(knownSecrets, () => successData(response, answer, knownSecrets));
}

/** Reads one page of webhooks; `full` says a next page may exist. */
export function processListWebhooksResponse(response: HttpResponse, target: WebhookTarget, options: WebhookProcessOptions = {}): { webhooks: CalcomWebhook[]; full: boolean } {
  const answer = expected('list', target);
  const knownSecrets = options.knownSecrets ?? [];
  return withKnownSecrets(knownSecrets, () => {
    const data = successData(response, answer, knownSecrets);
    if (!Array.isArray(data)) throw new CalcomError('malformed_response', `Cal.com answered ${answer.endpoint} without a list of webhooks.`, { status: response.status });
    return { webhooks: data.map((item: unknown) => checkedWebhook(item, answer.endpoint, response.status)), full: data.length >= WEBHOOK_LIST_PAGE_SIZE };
  });
}
