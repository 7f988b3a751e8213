import type { IDataObject } from 'n8n-workflow';

import type { BookingWriteResult } from '@calcom-oauth/shared';

import { asItems } from '../operation';

/**
 * One item per booking Cal.com returned (a recurring booking gives one per occurrence). When the
 * node found the booking by looking after a lost answer or a replay, each item says so in
 * `recovered`, so a workflow can tell "booked now" from "was already booked".
 */
export function bookingItems(result: BookingWriteResult): IDataObject[] {
	const items = asItems(result.bookings);
	if (result.recovered === undefined) return items;
	return items.map((item) => ({ ...item, recovered: result.recovered }));
}
