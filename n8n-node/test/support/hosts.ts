import nock from 'nock';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { CalComOAuth2Api } from '../../credentials/CalComOAuth2Api.credentials';
import { CalComTrigger } from '../../nodes/CalCom/CalComTrigger.node';
import { N8nHost, type N8nHostOptions, type StoredCredentialData } from '../../../test/hosts/n8n-host';
import type { FakeCalcom } from '../fakeCalcom';

/** nock for the whole file, and nothing left behind for the next file in the same Jest worker. */
export function useNock(): void {
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
	});
	afterAll(() => {
		nock.cleanAll();
		nock.enableNetConnect();
		nock.restore();
	});
	afterEach(() => nock.cleanAll());
}

/** The package's OAuth2 credential as n8n stores it after "Connect" to `cal`, with tokens that live `tokenSeconds`. */
export function calcomCredential(cal: FakeCalcom, scopes: string[], tokenSeconds?: number): StoredCredentialData {
	return {
		clientId: 'n8n-client',
		clientSecret: `secret-${Math.random().toString(36).slice(2)}`,
		instance: 'self-hosted',
		appUrl: 'https://cal.example.com',
		apiUrl: cal.apiUrl,
		scopes,
		oauthTokenData: cal.connect(tokenSeconds),
	};
}

/** A node of this package in an n8n-like host, signed in to `cal` through the package's OAuth2 credential (or `extra.credential`). */
export function calcomHost(cal: FakeCalcom, nodeType: INodeType, parameters: IDataObject, scopes: string[], extra: Partial<N8nHostOptions> = {}): N8nHost {
	return new N8nHost({
		nodeType,
		credentialType: new CalComOAuth2Api(),
		parameters,
		...extra,
		credential: extra.credential ?? calcomCredential(cal, scopes),
	});
}

/** The polling trigger in an n8n-like host. */
export function triggerHost(cal: FakeCalcom, parameters: IDataObject = { event: 'booking_created' }): N8nHost {
	return calcomHost(cal, new CalComTrigger(), parameters, ['BOOKING_READ', 'EVENT_TYPE_READ']);
}
