import { read, type ActionContext } from '../actions/context';
import { readErrorBody } from '../body';
import { CalcomError } from '../errors';
import { parseEventTypeIds } from '../event-type-ids';
import type { BookingEventKey } from '../events/catalogue';
import type { HttpResponse } from '../http';
import type { BookingEventFilters } from '../polling/events';
import {
  buildCreateWebhookRequest,
  buildDeleteWebhookRequest,
  buildGetWebhookRequest,
  buildListWebhooksRequest,
  buildUpdateWebhookRequest,
  processCreateWebhookResponse,
  processDeleteWebhookResponse,
  processGetWebhookResponse,
  processListWebhooksResponse,
  processUpdateWebhookResponse,
  webhookEndpoint,
  WEBHOOK_LIST_PAGE_SIZE,
  type CalcomWebhook,
  type WebhookFields,
  type WebhookTarget,
} from './requests';
import { createWebhookSecret } from './signature';
import { NEWER_SERVER_TRIGGERS, webhookTriggersFor } from './triggers';

/**
 * Each filtered event type is its own webhook, created and deleted one request each; past this many,
 * subscribing would spend a large share of Cal.com's 500 requests a minute (CALCOM.md §14).
 */
export const MAX_EVENT_TYPE_WEBHOOKS = 25;
/** Pages of webhooks read to find the one holding a subscriber URL (250 each). */
const MAX_LIST_PAGES = 8;

export interface SubscribeWebhooksOptions {
  /** Where Cal.com delivers: Zapier's `bundle.targetUrl`, n8n's webhook URL. */
  subscriberUrl: string;
  event: BookingEventKey;
  /** Event types filter: one event-type webhook each instead of one user webhook. */
  filters?: BookingEventFilters;
  /** Defaults to a fresh {@link createWebhookSecret}. */
  secret?: string;
}

/** How one webhook came to be ours. */
export type WebhookOrigin = 'created' | 'reused' | 'replaced';

/** What an adapter stores (Zapier's `subscribeData`, n8n's static data) to verify and unsubscribe. Holds the secret: never log it. */
export interface WebhookSubscription {
  secret: string;
  triggers: string[];
  webhooks: Array<{ id: string; eventTypeId?: number; origin: WebhookOrigin }>;
}

function targetsOf(filters: BookingEventFilters | undefined): WebhookTarget[] {
  const ids = parseEventTypeIds(filters?.eventTypeIds, 'Event type filter');
  if (ids.length > MAX_EVENT_TYPE_WEBHOOKS) {
    throw new CalcomError('invalid_input', `Instant delivery filtered by event types creates one Cal.com webhook per event type, at most ${MAX_EVENT_TYPE_WEBHOOKS}; ${ids.length} were chosen. Choose fewer, or use the polling trigger.`);
  }
  return ids.length === 0 ? [{}] : ids.map((eventTypeId) => ({ eventTypeId }));
}

function secretsOf(ctx: ActionContext, fields: WebhookFields): ActionContext {
  return { ...ctx, knownSecrets: [...(ctx.knownSecrets ?? []), fields.secret] };
}

/** A 400 that names a trigger only newer servers know: the server is older, ask without them. */
function refusesNewerTriggers(response: HttpResponse, fields: WebhookFields): boolean {
  if (response.status !== 400 || !NEWER_SERVER_TRIGGERS.some((trigger) => fields.triggers.includes(trigger))) return false;
  const message = readErrorBody(response).message ?? '';
  return /triggers/i.test(message) || NEWER_SERVER_TRIGGERS.some((trigger) => message.includes(trigger));
}

function sameFields(webhook: CalcomWebhook, fields: WebhookFields): boolean {
  const wanted = [...fields.triggers].sort().join(',');
  return webhook.active && webhook.secret === fields.secret && [...webhook.triggers].sort().join(',') === wanted;
}

async function findBySubscriberUrl(ctx: ActionContext, target: WebhookTarget, subscriberUrl: string): Promise<CalcomWebhook | undefined> {
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const response = await read(ctx, buildListWebhooksRequest(ctx.instance, target, page * WEBHOOK_LIST_PAGE_SIZE), webhookEndpoint('list', target));
    const { webhooks, full } = processListWebhooksResponse(response, target, ctx.knownSecrets === undefined ? {} : { knownSecrets: ctx.knownSecrets });
    const found = webhooks.find((webhook) => webhook.subscriberUrl === subscriberUrl);
    if (found !== undefined || !full) return found;
  }
  return undefined;
}

async function create(ctx: ActionContext, target: WebhookTarget, fields: WebhookFields): Promise<{ response: HttpResponse; fields: WebhookFields }> {
  const response = await read(ctx, buildCreateWebhookRequest(ctx.instance, target, fields), webhookEndpoint('create', target));
  if (!refusesNewerTriggers(response, fields)) return { response, fields };
  const older = { ...fields, triggers: fields.triggers.filter((trigger) => !(NEWER_SERVER_TRIGGERS as readonly string[]).includes(trigger)) };
  return { response: await read(ctx, buildCreateWebhookRequest(ctx.instance, target, older), webhookEndpoint('create', target)), fields: older };
}

async function remove(ctx: ActionContext, target: WebhookTarget, webhookId: string): Promise<void> {
  const response = await read(ctx, buildDeleteWebhookRequest(ctx.instance, target, webhookId), webhookEndpoint('delete', target));
  if (response.status === 404) return;
  processDeleteWebhookResponse(response, target, ctx.knownSecrets === undefined ? {} : { knownSecrets: ctx.knownSecrets });
}

/**
 * The subscriber URL is already in use (409): Cal.com allows one webhook per URL and user (or event
 * type), so that one is made ours, never a second beside it. It is updated to our triggers, secret
 * and `active: true` when Cal.com accepts that and shows it back; otherwise it is deleted and created again.
 */
async function resolveConflict(ctx: ActionContext, target: WebhookTarget, fields: WebhookFields): Promise<{ webhook: CalcomWebhook; origin: WebhookOrigin }> {
  const options = { knownSecrets: ctx.knownSecrets ?? [] };
  const existing = await findBySubscriberUrl(ctx, target, fields.subscriberUrl);
  if (existing === undefined) {
    throw new CalcomError('bad_request', `Cal.com says a webhook for this URL already exists (HTTP 409) but lists none on ${webhookEndpoint('list', target)}; remove it in Cal.com's webhook settings and turn the trigger on again.`, { status: 409 });
  }
  const updated = await read(ctx, buildUpdateWebhookRequest(ctx.instance, target, existing.id, fields), webhookEndpoint('update', target));
  if (updated.status >= 200 && updated.status < 300) {
    const webhook = processUpdateWebhookResponse(updated, target, options);
    if (sameFields(webhook, fields)) return { webhook, origin: 'reused' };
  } else if (updated.status !== 400 && updated.status !== 404) {
    // Scope, token, rate limit, server trouble: replacing would fail the same way, so say it.
    processUpdateWebhookResponse(updated, target, options);
  }
  await remove(ctx, target, existing.id);
  const again = await create(ctx, target, fields);
  return { webhook: processCreateWebhookResponse(again.response, target, options), origin: 'replaced' };
}

async function subscribeOne(ctx: ActionContext, target: WebhookTarget, fields: WebhookFields): Promise<{ webhook: CalcomWebhook; origin: WebhookOrigin; fields: WebhookFields }> {
  const { response, fields: sent } = await create(ctx, target, fields);
  if (response.status === 409) return { ...(await resolveConflict(ctx, target, sent)), fields: sent };
  return { webhook: processCreateWebhookResponse(response, target, { knownSecrets: ctx.knownSecrets ?? [] }), origin: 'created', fields: sent };
}

/**
 * Subscribes `subscriberUrl` to the triggers of `event`: one user webhook, or one webhook per
 * filtered event type, all with the same generated secret. A 409 for a URL already in use is
 * resolved (reuse or replace, never two). If one event type fails, the webhooks already made are
 * deleted before the error is thrown, so nothing is left half subscribed.
 *
 * A missing scope is `insufficient_scope` naming WEBHOOK_WRITE (EVENT_TYPE_WRITE for event-type
 * webhooks), which the adapters' scope advice turns into "reconnect and allow ...".
 *
 * @throws CalcomError
 */
export async function subscribeWebhooks(ctx: ActionContext, options: SubscribeWebhooksOptions): Promise<WebhookSubscription> {
  const targets = targetsOf(options.filters);
  const fields: WebhookFields = { subscriberUrl: options.subscriberUrl, triggers: webhookTriggersFor(options.event, options.filters), secret: options.secret ?? createWebhookSecret() };
  const scoped = secretsOf(ctx, fields);
  const made: WebhookSubscription['webhooks'] = [];
  let triggers = [...fields.triggers];
  try {
    for (const target of targets) {
      const result = await subscribeOne(scoped, target, fields);
      triggers = result.fields.triggers.length < triggers.length ? [...result.fields.triggers] : triggers;
      made.push({ id: result.webhook.id, ...(target.eventTypeId === undefined ? {} : { eventTypeId: target.eventTypeId }), origin: result.origin });
    }
  } catch (error) {
    await Promise.allSettled(made.map((webhook) => remove(scoped, webhook.eventTypeId === undefined ? {} : { eventTypeId: webhook.eventTypeId }, webhook.id)));
    throw error;
  }
  return { secret: fields.secret, triggers, webhooks: made };
}

/** Deletes every webhook of a subscription; one already gone (404) counts as deleted. */
export async function unsubscribeWebhooks(ctx: ActionContext, subscription: { webhooks: ReadonlyArray<{ id: string; eventTypeId?: number }>; secret?: string }): Promise<void> {
  const scoped = subscription.secret === undefined ? ctx : { ...ctx, knownSecrets: [...(ctx.knownSecrets ?? []), subscription.secret] };
  for (const webhook of subscription.webhooks) await remove(scoped, webhook.eventTypeId === undefined ? {} : { eventTypeId: webhook.eventTypeId }, webhook.id);
}

/** The webhook as Cal.com holds it now, or undefined when it is gone (n8n's `checkExists`). */
export async function findWebhook(ctx: ActionContext, target: WebhookTarget, webhookId: string): Promise<CalcomWebhook | undefined> {
  const response = await read(ctx, buildGetWebhookRequest(ctx.instance, target, webhookId), webhookEndpoint('get', target));
  if (response.status === 404) return undefined;
  return processGetWebhookResponse(response, target, ctx.knownSecrets === undefined ? {} : { knownSecrets: ctx.knownSecrets });
}
