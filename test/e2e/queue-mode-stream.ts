/**
 * The soak's workflows and its stream of booking changes on the emulator, and what each workflow
 * must therefore receive. An event is identified by its booking uid; a "Booking Updated" event by
 * the booking and the moment of the change (uid@updatedAt), since one booking can change many times.
 */
import type { Emulator } from '../emulator';
import type { Booking } from '../emulator/types';

export const TRIGGER_NAME = 'Cal.com Trigger';
export const WORKFLOW_PREFIX = 'calcomQueue';

export const EVENTS = ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'booking_rejected', 'booking_requested', 'meeting_ended', 'booking_updated'] as const;
export type EventKey = (typeof EVENTS)[number];

export interface WorkflowSpec {
	id: string;
	name: string;
	event: EventKey;
	/** Empty: every event type. */
	eventTypeIds: number[];
}

/** Event types of alice (the credential's user) in the emulator's seed. */
const PLAIN_TYPES = [1, 2, 7];
const CONFIRMATION_TYPES = [3, 9];

/** 20 workflows: every event unfiltered, every event filtered to one plain type, six filtered to the confirmation types. */
export function workflowSpecs(): WorkflowSpec[] {
	const groups: Array<{ label: string; eventTypeIds: number[]; events: readonly EventKey[] }> = [
		{ label: 'all', eventTypeIds: [], events: EVENTS },
		{ label: 'type1', eventTypeIds: [1], events: EVENTS },
		{ label: 'confirm', eventTypeIds: CONFIRMATION_TYPES, events: ['booking_created', 'booking_cancelled', 'booking_rejected', 'booking_requested', 'meeting_ended', 'booking_updated'] },
	];
	return groups.flatMap((group) =>
		group.events.map((event) => ({
			// n8n workflow ids are 16 characters.
			id: `${WORKFLOW_PREFIX}${String(EVENTS.indexOf(event))}${group.label.slice(0, 1)}`.padEnd(16, 'x'),
			name: `Cal.com queue soak: ${event} (${group.label})`,
			event,
			eventTypeIds: group.eventTypeIds,
		})),
	);
}

export function eventIdentity(event: EventKey, item: Record<string, unknown>): string {
	return event === 'booking_updated' ? `${String(item.uid)}@${String(item.occurredAt)}` : String(item.uid);
}

interface Change {
	uid: string;
	eventTypeId: number;
	at: number;
}

const STEPS = ['create', 'request', 'cancel', 'end', 'reschedule', 'answer', 'create'] as const;

/** Makes one change per `step()`, the way Cal.com's users would, and remembers what each should fire. */
export class ChangeStream {
	private stepIndex = 0;
	private typeIndex = 0;
	private readonly created: Change[] = [];
	private readonly requested: Array<Change & { answer?: 'confirmed' | 'rejected' }> = [];
	private readonly cancelled: Change[] = [];
	private readonly rescheduled: Change[] = [];
	private readonly touchedTargets = new Set<string>();
	changes = 0;

	constructor(
		private readonly cal: Emulator,
		/** Which uids every workflow of an event has already received: the stream only builds on seen events. */
		private readonly seenBy: (event: EventKey, uid: string) => boolean,
	) {}

	private nextType(types: number[]): number {
		this.typeIndex += 1;
		return types[this.typeIndex % types.length] ?? 1;
	}

	private record(list: Change[], booking: Booking): void {
		list.push({ uid: booking.uid, eventTypeId: booking.eventTypeId, at: this.cal.clock.now() });
		this.changes += 1;
	}

	/**
	 * A booking to cancel or move: an upcoming one of the seed, or one this stream created whose
	 * creation every "created" workflow has already seen (cancelling a booking before anyone saw it
	 * would make whether it was "created" depend on timing).
	 */
	private target(): Booking | undefined {
		const now = this.cal.clock.now();
		const candidates = [...this.cal.store.bookings.values()].filter(
			(booking) =>
				booking.userId === 1 &&
				booking.status === 'ACCEPTED' &&
				booking.start > now + 3_600_000 &&
				booking.fromReschedule === null &&
				booking.recurringEventId === null &&
				!this.touchedTargets.has(booking.uid) &&
				(booking.createdAt < (this.created[0]?.at ?? now) || this.seenBy('booking_created', booking.uid)),
		);
		const chosen = candidates.sort((a, b) => a.start - b.start)[0];
		if (chosen !== undefined) this.touchedTargets.add(chosen.uid);
		return chosen;
	}

	step(): string {
		const kind = STEPS[this.stepIndex % STEPS.length] ?? 'create';
		this.stepIndex += 1;
		const now = this.cal.clock.now();
		switch (kind) {
			case 'create': {
				const booking = this.cal.generator.createBooking({ eventTypeId: this.nextType(PLAIN_TYPES), title: `Queue soak booking ${this.changes + 1}` });
				this.record(this.created, booking);
				return `created ${booking.uid}`;
			}
			case 'end': {
				// Starts in a few seconds and lasts a minute, so "Meeting Ended" fires within the run.
				const booking = this.cal.generator.createBooking({ eventTypeId: this.nextType(PLAIN_TYPES), start: now + 5_000, durationMinutes: 1, title: `Queue soak short meeting ${this.changes + 1}` });
				this.record(this.created, booking);
				return `created ${booking.uid} (ends in 65 s)`;
			}
			case 'request': {
				const booking = this.cal.generator.createBooking({ eventTypeId: this.nextType(CONFIRMATION_TYPES), title: `Queue soak request ${this.changes + 1}` });
				this.record(this.requested, booking);
				return `requested ${booking.uid}`;
			}
			case 'cancel': {
				const booking = this.target();
				if (booking === undefined) return 'no booking to cancel yet';
				this.cal.generator.cancelBooking(booking.uid, 'Queue soak cancellation');
				this.record(this.cancelled, booking);
				return `cancelled ${booking.uid}`;
			}
			case 'reschedule': {
				const booking = this.target();
				if (booking === undefined) return 'no booking to reschedule yet';
				const replacement = this.cal.generator.rescheduleBooking(booking.uid, booking.start + 2 * 86_400_000, { reason: 'Queue soak reschedule' });
				this.record(this.rescheduled, replacement);
				return `rescheduled ${booking.uid} → ${replacement.uid}`;
			}
			case 'answer': {
				// Only a request every "requested" workflow has seen: an answer before the next poll is
				// seen only as created or rejected (the trigger's documented behaviour).
				const request = this.requested.find((entry) => entry.answer === undefined && this.seenBy('booking_requested', entry.uid));
				if (request === undefined) return 'no seen request to answer yet';
				const confirm = this.requested.filter((entry) => entry.answer !== undefined).length % 2 === 0;
				if (confirm) this.cal.generator.confirmBooking(request.uid);
				else this.cal.generator.rejectBooking(request.uid, 'Queue soak rejection');
				request.answer = confirm ? 'confirmed' : 'rejected';
				request.at = this.cal.clock.now();
				this.changes += 1;
				return `${request.answer} ${request.uid}`;
			}
		}
	}

	/**
	 * The identities `spec` must receive for changes in (`from`, `to`] (emulator time). Meeting Ended and
	 * Booking Updated come from the store, so seed bookings that end during the run count too.
	 */
	expected(spec: WorkflowSpec, from: number, to: number): Set<string> {
		const matches = (eventTypeId: number) => spec.eventTypeIds.length === 0 || spec.eventTypeIds.includes(eventTypeId);
		const inWindow = (change: Change) => change.at > from && change.at <= to && matches(change.eventTypeId);
		const uids = (list: Change[]) => new Set(list.filter(inWindow).map((change) => change.uid));
		const bookings = [...this.cal.store.bookings.values()].filter((booking) => booking.userId === 1 && matches(booking.eventTypeId));
		switch (spec.event) {
			case 'booking_created':
				return new Set([...uids(this.created), ...this.requested.filter((entry) => entry.answer === 'confirmed' && inWindow(entry)).map((entry) => entry.uid)]);
			case 'booking_requested':
				return new Set(this.requested.filter((entry) => matches(entry.eventTypeId) && this.firstSeenAt(entry) > from && this.firstSeenAt(entry) <= to).map((entry) => entry.uid));
			case 'booking_rejected':
				return new Set(this.requested.filter((entry) => entry.answer === 'rejected' && inWindow(entry)).map((entry) => entry.uid));
			case 'booking_cancelled':
				return uids(this.cancelled);
			case 'booking_rescheduled':
				return uids(this.rescheduled);
			case 'meeting_ended':
				return new Set(bookings.filter((booking) => booking.status === 'ACCEPTED' && booking.end > from && booking.end <= to).map((booking) => booking.uid));
			case 'booking_updated':
				return new Set(bookings.filter((booking) => booking.updatedAt !== null && booking.updatedAt > from && booking.updatedAt <= to).map((booking) => `${booking.uid}@${new Date(booking.updatedAt ?? 0).toISOString()}`));
		}
	}

	/** When a request was made (its `at` moves to the answer's time once answered). */
	private firstSeenAt(entry: Change): number {
		return this.cal.store.bookings.get(entry.uid)?.createdAt ?? entry.at;
	}
}
