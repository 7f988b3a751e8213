import { Expression } from 'n8n-workflow';

import {
	CALCOM_CLOUD,
	CALCOM_EU,
	DEFAULT_TRIGGER_SCOPES,
	SCOPE_CATALOGUE,
	buildAuthorizeUrl,
	resolveInstance,
	tokenEndpointUrl,
	type InstanceSettings,
} from '@calcom-oauth/shared';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { instanceFromCredentials } from '../nodes/CalCom/instance';
import { resolveCredentialData, type StoredCredentialData } from '../../test/hosts/n8n-host';

const credentialType = new CalComOAuth2Api();
const property = (name: string) => credentialType.properties.find((candidate) => candidate.name === name);

const stored = (fields: Partial<StoredCredentialData>): StoredCredentialData => ({
	clientId: 'client-id',
	clientSecret: 'client-secret',
	...fields,
});

/** The authorize path and token URL the core builds for an instance. */
function coreUrls(settings: InstanceSettings) {
	const instance = resolveInstance(settings);
	const authorize = buildAuthorizeUrl({ instance, clientId: 'c', redirectUri: 'https://n8n.example.com/cb', state: 's', scopes: [] });
	return { authUrl: authorize.split('?')[0], accessTokenUrl: tokenEndpointUrl('v2', instance, 'refresh_token'), apiUrl: instance.apiUrl };
}

/** The credential test's base URL, resolved the way n8n's routing engine sees `$credentials`. */
function testBaseUrl(credentials: Record<string, unknown>): unknown {
	const expression = String(credentialType.test.request.baseURL).slice(1);
	return Expression.resolveWithoutWorkflow(expression, { $credentials: credentials });
}

describe('Cal.com OAuth2 credential: URLs per instance (resolved by n8n-workflow)', () => {
	const cases: Array<{ label: string; fields: Partial<StoredCredentialData>; settings: InstanceSettings }> = [
		{ label: 'Cal.com cloud (the default)', fields: {}, settings: { kind: 'cloud' } },
		{ label: 'Cal.com EU', fields: { instance: 'eu' }, settings: { kind: 'eu' } },
		{
			label: 'self-hosted, API on the app URL, trailing slash and spaces',
			fields: { instance: 'self-hosted', appUrl: ' https://cal.example.com/ ' },
			settings: { kind: 'self-hosted', appUrl: 'https://cal.example.com' },
		},
		{
			label: 'self-hosted with a separate API URL',
			fields: { instance: 'self-hosted', appUrl: 'https://cal.example.com', apiUrl: 'https://api.cal.example.com//' },
			settings: { kind: 'self-hosted', appUrl: 'https://cal.example.com', apiUrl: 'https://api.cal.example.com' },
		},
		{
			label: 'the local emulator over loopback http',
			fields: { instance: 'self-hosted', appUrl: 'http://127.0.0.1:4100', apiUrl: 'http://127.0.0.1:4101' },
			settings: { kind: 'self-hosted', appUrl: 'http://127.0.0.1:4100', apiUrl: 'http://127.0.0.1:4101' },
		},
	];

	it.each(cases)('$label: authorize and token URLs equal the core’s', ({ fields, settings }) => {
		const resolved = resolveCredentialData(credentialType, stored(fields));
		const expected = coreUrls(settings);
		expect(resolved.authUrl).toBe(expected.authUrl);
		expect(resolved.accessTokenUrl).toBe(expected.accessTokenUrl);
		expect(testBaseUrl(resolved)).toBe(expected.apiUrl);
		// The node resolves the same instance from the same data.
		expect(instanceFromCredentials(resolved)).toEqual(resolveInstance(settings));
	});

	it('cloud and EU URLs come from the core presets', () => {
		expect(resolveCredentialData(credentialType, stored({ instance: 'cloud' })).accessTokenUrl).toBe(`${CALCOM_CLOUD.apiUrl}/v2/auth/oauth2/token`);
		expect(resolveCredentialData(credentialType, stored({ instance: 'eu' })).authUrl).toBe(`${CALCOM_EU.appUrl}/auth/oauth2/authorize`);
	});

	it('drops stored values of pinned hidden fields, as n8n 2.41 does', () => {
		const resolved = resolveCredentialData(
			credentialType,
			stored({
				instance: 'eu',
				accessTokenUrl: 'https://attacker.example/token',
				authUrl: 'https://attacker.example/authorize',
				authentication: 'header',
				grantType: 'pkce',
			}),
		);
		expect(resolved.accessTokenUrl).toBe(`${CALCOM_EU.apiUrl}/v2/auth/oauth2/token`);
		expect(resolved.authUrl).toBe(`${CALCOM_EU.appUrl}/auth/oauth2/authorize`);
		expect(resolved.authentication).toBe('body');
		expect(resolved.grantType).toBe('authorizationCode');
	});

	it('ignores self-hosted URLs left over when the instance is a cloud', () => {
		const resolved = resolveCredentialData(credentialType, stored({ instance: 'cloud', appUrl: 'https://old.example.com' }));
		expect(resolved.authUrl).toBe(`${CALCOM_CLOUD.appUrl}/auth/oauth2/authorize`);
		expect(resolved.appUrl).toBeUndefined();
	});

	it('rejects a self-hosted credential whose URL is not https when the node resolves it', () => {
		const resolved = resolveCredentialData(credentialType, stored({ instance: 'self-hosted', appUrl: 'http://cal.example.com' }));
		expect(() => instanceFromCredentials(resolved)).toThrow(/unencrypted/);
	});
});

describe('Cal.com OAuth2 credential: scopes', () => {
	it('defaults to the trigger and action scopes, comma-separated as Cal.com’s consent page expects', () => {
		const resolved = resolveCredentialData(credentialType, stored({}));
		expect(resolved.scopes).toEqual([...DEFAULT_TRIGGER_SCOPES, 'BOOKING_WRITE', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE']);
		expect(resolved.scope).toBe([...DEFAULT_TRIGGER_SCOPES, 'BOOKING_WRITE', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE'].join(','));
	});

	it('sends the selected scopes, legacy names unchanged', () => {
		expect(resolveCredentialData(credentialType, stored({ scopes: ['READ_BOOKING', 'READ_PROFILE'] })).scope).toBe('READ_BOOKING,READ_PROFILE');
		expect(resolveCredentialData(credentialType, stored({ scopes: ['BOOKING_READ', 'TEAM_BOOKING_READ'] })).scope).toBe('BOOKING_READ,TEAM_BOOKING_READ');
	});

	it('falls back to the defaults for an empty selection (n8n would otherwise send scope= or openid)', () => {
		expect(resolveCredentialData(credentialType, stored({ scopes: [] })).scope).toBe([...DEFAULT_TRIGGER_SCOPES, 'BOOKING_WRITE', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE'].join(','));
	});

	it('offers every scope of the shared catalogue, legacy names included', () => {
		const options = (property('scopes')?.options ?? []) as Array<{ value: string }>;
		expect(options.map((option) => option.value)).toEqual(SCOPE_CATALOGUE.map((scope) => scope.name));
		expect(options.map((option) => option.value)).toEqual(expect.arrayContaining(['READ_BOOKING', 'READ_PROFILE']));
	});
});

describe('Cal.com OAuth2 credential: n8n contract', () => {
	it('extends oAuth2Api with the authorization code grant and client credentials in the body', () => {
		expect(credentialType.extends).toEqual(['oAuth2Api']);
		expect(property('grantType')).toMatchObject({ type: 'hidden', default: 'authorizationCode' });
		expect(property('authentication')).toMatchObject({ type: 'hidden', default: 'body' });
		for (const hidden of ['authUrl', 'accessTokenUrl', 'scope', 'authQueryParameters']) expect(property(hidden)?.type).toBe('hidden');
	});

	it('tests the connection against GET /v2/me', () => {
		expect(credentialType.test.request.url).toBe('/v2/me');
	});

	it('has light and dark icons and a documentation URL (the lint gate checks the files exist and differ)', () => {
		expect(credentialType.icon).toEqual({ light: 'file:../icons/calcom.svg', dark: 'file:../icons/calcom.dark.svg' });
		expect(credentialType.documentationUrl).toMatch(/^https:\/\//);
	});
});
