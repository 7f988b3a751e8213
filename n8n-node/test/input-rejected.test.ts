import { NodeApiError, type INode } from 'n8n-workflow';

import { CalcomError } from '@calcom-oauth/shared';

import { toN8nError } from '../nodes/CalCom/errors';

const node: INode = { id: '1', name: 'Cal.com', type: 'n8n-nodes-calcom-oauth.calCom', typeVersion: 1, position: [0, 0], parameters: {} };

describe('a value Cal.com refused reaches the n8n user with what to change', () => {
	it('is a NodeApiError with the core message, HTTP 400 and advice to change the value, not to reconnect or wait', () => {
		const message = 'Cal.com refused POST /v2/bookings because of the values given: the event type requires the booking question "notes" to be answered (field bookingFieldsResponses.notes).';
		const error = toN8nError(node, new CalcomError('input_rejected', message, { status: 400, field: 'bookingFieldsResponses.notes' }), 'POST /v2/bookings');
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.description).toMatch(/Change the value the message names.*retrying the same values fails the same way/);
		expect(error.description).not.toMatch(/Reconnect|next poll/);
	});
});
