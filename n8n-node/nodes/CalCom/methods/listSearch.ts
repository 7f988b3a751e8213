import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { findBookings, listEventTypes, type ActionContext, type Booking } from '@calcom-oauth/shared';

import { loadCredentialSecrets, toScrubbedN8nError } from '../errors';
import { loadInstance } from '../instance';
import { createHttpExecutor } from '../transport/httpExecutor';

/** How many bookings the picker shows: enough to find a recent one, one Cal.com page at most. */
const BOOKINGS_SHOWN = 50;

async function searchContext(context: ILoadOptionsFunctions): Promise<ActionContext> {
	const instance = await loadInstance(context);
	return { execute: createHttpExecutor(context, instance), instance, knownSecrets: await loadCredentialSecrets(context) };
}

function bookingLabel(booking: Booking): string {
	const attendee = booking.attendees?.[0]?.email;
	const when = booking.start.replace('T', ' ').slice(0, 16);
	return [booking.title ?? booking.uid, `${when} UTC`, attendee].filter((part) => part !== undefined && part !== '').join(' · ');
}

/**
 * Bookings for the booking picker, newest first. A filter containing "@" is an attendee's email and
 * is searched in Cal.com; any other text narrows the newest bookings by title.
 */
export async function searchBookings(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	try {
		const byEmail = text.includes('@');
		const bookings = await findBookings(await searchContext(this), byEmail ? { attendeeEmail: text } : {}, { limit: BOOKINGS_SHOWN });
		const needle = text.toLowerCase();
		const shown = byEmail || needle === '' ? bookings : bookings.filter((booking) => (booking.title ?? '').toLowerCase().includes(needle));
		return { results: shown.map((booking) => ({ name: bookingLabel(booking), value: booking.uid })) };
	} catch (error) {
		throw await toScrubbedN8nError(this, error, 'Cal.com booking search');
	}
}

/** Event types for the event-type picker, by title or slug. */
export async function searchEventTypes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const needle = filter?.trim().toLowerCase() ?? '';
	try {
		const { eventTypes, warnings } = await listEventTypes(await searchContext(this));
		for (const warning of warnings) this.logger.warn(warning);
		const shown = eventTypes
			.filter((eventType) => needle === '' || eventType.title.toLowerCase().includes(needle) || eventType.slug.toLowerCase().includes(needle))
			.sort((a, b) => a.title.localeCompare(b.title));
		return {
			results: shown.map((eventType) => ({
				name: eventType.lengthInMinutes === undefined ? eventType.title : `${eventType.title} (${eventType.lengthInMinutes} min)`,
				value: String(eventType.id),
			})),
		};
	} catch (error) {
		throw await toScrubbedN8nError(this, error, 'Cal.com event type search');
	}
}
