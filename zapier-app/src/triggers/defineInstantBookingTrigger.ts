import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import {
  receiveDelivery,
  subscribeWebhooks,
  unsubscribeWebhooks,
  zapierInstantTriggerWording,
  type BookingEventFilters,
  type BookingEventKey,
  type WebhookSubscription,
} from '@calcom-oauth/shared';
import { BOOKING_OUTPUT_FIELDS, toZapierBookingEvents, type ZapierBookingEvent } from '../bookingOutput';
import { instanceOf } from '../connection';
import { connectionSecrets, withZapierErrors } from '../errors';
import { sampleFor } from '../samples/booking';
import { createExecutor } from '../transport';
import { defineBookingTrigger, readBoolean, readEventTypeIds } from './defineBookingTrigger';
import { dropInstantRepeats } from './dropInstantRepeats';
import { readInstantRequest } from './readInstantRequest';

/**
 * What performSubscribe returns and Zapier keeps as `bundle.subscribeData`: the core's subscription
 * (webhook ids, triggers and the generated secret, which must never be logged) plus `id`, the first
 * webhook's id, which Zapier's own tooling expects.
 */
export type InstantSubscribeData = WebhookSubscription & { id: string };

function filtersOf(inputData: Record<string, unknown>, offersIncludeUnconfirmed: boolean): BookingEventFilters {
  const filters: BookingEventFilters = {};
  const eventTypeIds = readEventTypeIds(inputData.eventTypeIds);
  if (eventTypeIds !== undefined) filters.eventTypeIds = eventTypeIds;
  if (offersIncludeUnconfirmed && readBoolean(inputData.includeUnconfirmed)) filters.includeUnconfirmed = true;
  return filters;
}

function readSubscription(bundle: Pick<Bundle, 'subscribeData'>): Partial<InstantSubscribeData> {
  const data = bundle.subscribeData as unknown;
  return typeof data === 'object' && data !== null ? (data as Partial<InstantSubscribeData>) : {};
}

/** A refused call: Zapier records the error on the task and runs nothing. */
function refuse(z: ZObject, message: string): never {
  throw new z.errors.Error(message, 'forged_delivery', 401);
}

/**
 * Builds the instant (REST hook) twin of a polling booking trigger: same event, inputs, output
 * fields, sample and item ids, so switching a Zap between the two never re-runs it for old events.
 * - performSubscribe: one Cal.com webhook for `bundle.targetUrl` (one per event type when filtered),
 *   with a fresh secret, through the core (409 for a URL in use: reused or replaced, never two);
 * - performUnsubscribe: deletes them (already gone counts as deleted);
 * - perform: refuses any call whose signature does not match the raw body with the stored secret,
 *   then maps the delivery to the polling trigger's items, minus the ones this Zap already ran for;
 * - performList: the polling trigger's own listing, for samples and "Test trigger".
 */
export function defineInstantBookingTrigger(event: BookingEventKey) {
  const wording = zapierInstantTriggerWording(event);
  const polling = defineBookingTrigger(event);

  const performSubscribe = async (z: ZObject, bundle: Bundle): Promise<InstantSubscribeData> =>
    withZapierErrors(z, 'run', async () => {
      if (typeof bundle.targetUrl !== 'string' || bundle.targetUrl === '') throw new z.errors.Error('Zapier gave no target URL to subscribe; turn the Zap on again.', 'invalid_input');
      const instance = instanceOf(bundle);
      const subscription = await subscribeWebhooks(
        { instance, execute: createExecutor(z, instance), knownSecrets: connectionSecrets(bundle) },
        { subscriberUrl: bundle.targetUrl, event, filters: filtersOf(bundle.inputData, wording.offersIncludeUnconfirmed) },
      );
      const [first] = subscription.webhooks;
      if (first === undefined) throw new z.errors.Error('Cal.com created no webhook for this Zap; turn it on again.', 'malformed_response');
      return { id: first.id, ...subscription };
    }, bundle);

  const performUnsubscribe = async (z: ZObject, bundle: Bundle): Promise<{ deleted: number }> =>
    withZapierErrors(z, 'run', async () => {
      const subscription = readSubscription(bundle);
      const webhooks = Array.isArray(subscription.webhooks) ? subscription.webhooks : typeof subscription.id === 'string' ? [{ id: subscription.id }] : [];
      const instance = instanceOf(bundle);
      const secrets = [...connectionSecrets(bundle), ...(typeof subscription.secret === 'string' ? [subscription.secret] : [])];
      await unsubscribeWebhooks({ instance, execute: createExecutor(z, instance), knownSecrets: secrets }, { webhooks });
      return { deleted: webhooks.length };
    }, bundle);

  const perform = async (z: ZObject, bundle: Bundle): Promise<ZapierBookingEvent[]> => {
    const subscription = readSubscription(bundle);
    const { rawBody, signature } = readInstantRequest(bundle);
    if (rawBody === undefined) refuse(z, 'Refused a webhook call that reached Zapier without its raw body, so its signature cannot be checked; nothing was emitted.');
    // No dedupe here: Zapier has no reconciliation path to share one with; repeats are dropped in z.cache below.
    const received = await receiveDelivery(rawBody, signature.length === 0 ? undefined : signature, subscription.secret, {
      event,
      filters: filtersOf(bundle.inputData, wording.offersIncludeUnconfirmed),
    });
    if (received.outcome === 'refused') refuse(z, `${received.message} Nothing was emitted.`);
    if (received.warning !== undefined) z.console.warn(received.warning);
    const events = toZapierBookingEvents(received.items, (warning) => z.console.warn(warning));
    return typeof subscription.id === 'string' ? dropInstantRepeats(z, subscription.id, events) : events;
  };

  const trigger = defineTrigger({
    key: wording.key,
    noun: wording.noun,
    display: { label: wording.label, description: wording.description },
    operation: {
      type: 'hook',
      performSubscribe,
      performUnsubscribe,
      perform,
      performList: polling.perform,
      inputFields: polling.trigger.operation.inputFields,
      outputFields: BOOKING_OUTPUT_FIELDS,
      sample: sampleFor(event),
    },
  });
  return { trigger, perform, performList: polling.perform, performSubscribe, performUnsubscribe };
}
