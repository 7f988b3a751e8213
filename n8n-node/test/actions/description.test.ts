import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CalCom } from '../../nodes/CalCom/CalCom.node';
import codex from '../../nodes/CalCom/CalCom.node.json';
import manifest from '../../package.json';

const { description } = new CalCom();

function operationsOf(resource: string): INodePropertyOptions[] {
	const property = description.properties.find(
		(candidate) => candidate.name === 'operation' && candidate.displayOptions?.show?.resource?.includes(resource) === true,
	);
	return (property?.options ?? []) as INodePropertyOptions[];
}

function parametersOf(resource: string, operation: string): INodeProperties[] {
	return description.properties.filter(
		(property) =>
			property.displayOptions?.show?.resource?.includes(resource) === true && property.displayOptions.show.operation?.includes(operation) === true,
	);
}

describe('the Cal.com node as an AI agent reads it', () => {
	it('is usable as a tool and uses the package credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'calComOAuth2Api', required: true }]);
	});

	it('offers every operation of the issue, each with an action and a description naming its scope needs', () => {
		const offered = Object.fromEntries(['booking', 'slot', 'eventType'].map((resource) => [resource, operationsOf(resource).map((option) => option.name)]));
		expect(offered).toEqual({
			booking: ['Add Guests', 'Cancel', 'Confirm', 'Create', 'Decline', 'Get', 'Get Many', 'Mark No-Show', 'Reschedule'],
			slot: ['Get Many'],
			eventType: ['Get', 'Get Many'],
		});
		for (const resource of ['booking', 'slot', 'eventType']) {
			for (const option of operationsOf(resource)) {
				expect(option.action).toEqual(expect.any(String));
				expect(option.description).toMatch(/scope|any connected Cal\.com credential/);
				expect(parametersOf(resource, String(option.value)).length).toBeGreaterThan(0);
			}
		}
		for (const write of ['confirm', 'decline', 'markNoShow', 'addGuests']) {
			expect(operationsOf('booking').find((option) => option.value === write)?.description).toMatch(/BOOKING_WRITE/);
		}
	});

	it('says Create is not idempotent and that a valid start comes from Slot → Get Many', () => {
		const create = operationsOf('booking').find((option) => option.value === 'create');
		expect(create?.description).toMatch(/not idempotent: do not retry it after an error without first checking Booking → Get Many/);
		expect(create?.description).toMatch(/Slot → Get Many first/);
		expect(description.description).toMatch(/not idempotent/);
	});

	it('states the time format and time zone kind wherever a time or zone is asked for', () => {
		const timeParameters = ['create', 'reschedule'].map((operation) => parametersOf('booking', operation).find((property) => property.name === 'start'));
		timeParameters.push(...parametersOf('slot', 'getAll').filter((property) => property.name === 'start' || property.name === 'end'));
		expect(timeParameters).toHaveLength(4);
		for (const parameter of timeParameters) expect(parameter?.description).toMatch(/ISO-8601, UTC/);
		for (const parameter of timeParameters.slice(0, 2)) expect(parameter?.description).toMatch(/Slot → Get Many first/);
		const zone = parametersOf('booking', 'create').find((property) => property.name === 'attendeeTimeZone');
		expect(zone?.description).toMatch(/IANA time zone/);
	});

	// That the build emits it is the n8n gates' manifest check (every `n8n` entry is in the tarball).
	it('is registered in the package, with a codex file naming it', () => {
		expect(manifest.n8n.nodes).toContain('dist/nodes/CalCom/CalCom.node.js');
		expect(codex.node).toBe(`${manifest.name}.${description.name}`);
	});
});
