import { cronNodeOptions, type INodeProperties } from 'n8n-workflow';

import { BOOKING_EVENT_KEYS, getBookingEventEntry, n8nEventName, n8nEventOptions, requiredScopeOf, webhookEndpoint, type BookingEventKey } from '@calcom-oauth/shared';

import { triggerProperties } from '../trigger/description';

/**
 * Events Cal.com's webhook cannot report reliably stay with the polling trigger: MEETING_ENDED is
 * sent late, as a flat row, and only for bookings made after the webhook was created (CALCOM.md §18).
 */
export const POLLING_ONLY_EVENTS: readonly BookingEventKey[] = ['meeting_ended'];

export const INSTANT_EVENT_KEYS: readonly BookingEventKey[] = BOOKING_EVENT_KEYS.filter((key) => !POLLING_ONLY_EVENTS.includes(key));

/** How often the reconciliation reads Cal.com by default, in minutes. */
export const DEFAULT_RECONCILE_MINUTES = 5;

function sharedProperty(name: string): INodeProperties {
	const property = triggerProperties.find((candidate) => candidate.name === name);
	if (property === undefined) throw new Error(`The polling trigger has no "${name}" parameter`);
	return property;
}

const pollingOnlyNames = POLLING_ONLY_EVENTS.map(n8nEventName).join(', ');
const userScopes = [...new Set([webhookEndpoint('get', {}), webhookEndpoint('create', {})].map(requiredScopeOf))].join(' and ');
const eventTypeScope = requiredScopeOf(webhookEndpoint('create', { eventTypeId: 1 }));

/**
 * The instant trigger's parameters: the polling trigger's Event (without the polling-only events),
 * event types and options, so both nodes read the same values; and the reconciliation schedule. It is
 * n8n's own `pollTimes` parameter (which n8n's poll scheduler reads), declared here rather than through
 * `polling: true` so that its default is every 5 minutes instead of every minute.
 */
export const instantTriggerProperties: INodeProperties[] = [
	{
		displayName: `Cal.com pushes each booking change here within seconds. A reconciliation poll also reads Cal.com on the schedule below and starts the workflow, once, for any change whose delivery Cal.com dropped. Needs the ${userScopes} scopes (${eventTypeScope} when event types are chosen) and an n8n URL Cal.com can reach over HTTPS. ${pollingOnlyNames} is polling only: use the Cal.com (OAuth2, Polling) Trigger for it.`,
		name: 'instantNotice',
		type: 'notice',
		default: '',
	},
	{
		...sharedProperty('event'),
		options: n8nEventOptions().filter((option) => INSTANT_EVENT_KEYS.includes(option.value as BookingEventKey)),
	},
	sharedProperty('eventTypeIds'),
	sharedProperty('options'),
	{
		displayName: 'Reconcile Every',
		name: 'pollTimes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Reconciliation Time' },
		default: { item: [{ mode: 'everyX', value: DEFAULT_RECONCILE_MINUTES, unit: 'minutes' }] },
		description: 'When to read Cal.com for changes whose webhook delivery was lost. An idle reconciliation costs one request.',
		placeholder: 'Add Reconciliation Time',
		options: cronNodeOptions,
	},
];

/** True for an event this node can subscribe to. */
export function isInstantEvent(key: BookingEventKey): boolean {
	return INSTANT_EVENT_KEYS.includes(key) && getBookingEventEntry(key).webhookTriggers.length > 0;
}
