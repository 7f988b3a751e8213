import type { INodeProperties } from 'n8n-workflow';

import { BOOKING_OPERATIONS, MAX_FIND_BOOKINGS } from '@calcom-oauth/shared';

import type { NodeOperation } from '../operation';
import * as addGuests from './addGuests.operation';
import * as cancel from './cancel.operation';
import * as confirm from './confirm.operation';
import * as create from './create.operation';
import * as decline from './decline.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as markNoShow from './markNoShow.operation';
import * as reschedule from './reschedule.operation';
import { scopeNote } from '../scopeNote';

export const operations: Record<string, NodeOperation> = { addGuests, cancel, confirm, create, decline, get, getAll, markNoShow, reschedule };

const NOT_IDEMPOTENT =
	'Create is not idempotent: do not retry it after an error without first checking Booking → Get Many (attendee email, start time) for the booking.';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['booking'] } },
		options: [
			{
				name: 'Add Guests',
				value: 'addGuests',
				action: 'Add guests to a booking',
				description: `Invites up to 10 more people to an existing booking. ${scopeNote(BOOKING_OPERATIONS.add_guests.scope)}.`,
			},
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a booking',
				description: `Cancels a booking (optionally with a reason, and for recurring ones every later occurrence). Cancelling an already cancelled booking returns it unchanged. ${scopeNote(BOOKING_OPERATIONS.cancel_booking.scope)}.`,
			},
			{
				name: 'Confirm',
				value: 'confirm',
				action: 'Confirm a booking',
				description: `Accepts a booking that waits for the host's confirmation (status "pending"). ${scopeNote(BOOKING_OPERATIONS.confirm_booking.scope)}.`,
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a booking',
				description: `Books a meeting of an event type at a start time (ISO-8601, UTC) for an attendee (name, email, IANA time zone). Get a valid start from Slot → Get Many first. ${NOT_IDEMPOTENT} Returns one item per booking (one per occurrence for recurring event types). ${scopeNote(BOOKING_OPERATIONS.create_booking.scope)}.`,
			},
			{
				name: 'Decline',
				value: 'decline',
				action: 'Decline a booking',
				description: `Rejects a booking that waits for the host's confirmation (status "pending"), optionally with a reason. ${scopeNote(BOOKING_OPERATIONS.decline_booking.scope)}.`,
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a booking',
				description: `Gets one booking by its uid: status, start and end (ISO-8601, UTC), attendees, meeting URL. ${scopeNote(BOOKING_OPERATIONS.get_booking.scope)}.`,
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many bookings',
				description: `Lists bookings, newest start first, one item per booking, filtered by attendee email, status, time range or event type. Return All stops at ${MAX_FIND_BOOKINGS} bookings; narrow the filters to reach older ones. ${scopeNote(BOOKING_OPERATIONS.find_bookings.scope)}.`,
			},
			{
				name: 'Mark No-Show',
				value: 'markNoShow',
				action: 'Mark a booking as no show',
				description: `Records that the host and/or some attendees did not show up to a past booking. ${scopeNote(BOOKING_OPERATIONS.mark_no_show.scope)}.`,
			},
			{
				name: 'Reschedule',
				value: 'reschedule',
				action: 'Reschedule a booking',
				description: `Moves a booking to a new start time (ISO-8601, UTC; get a valid one from Slot → Get Many first). Returns the NEW booking, which has a new uid ("previousUid" is the old one, now cancelled). ${scopeNote(BOOKING_OPERATIONS.reschedule_booking.scope)}.`,
			},
		],
		default: 'create',
	},
	...addGuests.description,
	...cancel.description,
	...confirm.description,
	...create.description,
	...decline.description,
	...get.description,
	...getAll.description,
	...markNoShow.description,
	...reschedule.description,
];
