import { n8nEventOptions } from '@calcom-oauth/shared';

import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';

describe('the Event parameter', () => {
	it('lists exactly the core catalogue\'s n8n rendering of every event', () => {
		const property = new CalComTrigger().description.properties.find((candidate) => candidate.name === 'event');
		expect(property?.type).toBe('options');
		expect(property?.options).toEqual(n8nEventOptions());
		expect(property?.default).toBe('booking_created');
	});

	it('names the events that offer "Include Unconfirmed Bookings" as the catalogue does', () => {
		const options = new CalComTrigger().description.properties.find((candidate) => candidate.name === 'options');
		const option = options?.options?.find((candidate) => candidate.name === 'includeUnconfirmed') as { description?: string } | undefined;
		expect(option?.description).toMatch(/^Whether Booking Created and Booking Rescheduled also fire/);
	});
});
