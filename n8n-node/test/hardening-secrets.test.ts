

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import { N8nHost } from '../../test/hosts/n8n-host';
import { FakeCalcom } from './fakeCalcom';
import { echoes, expectNoSecret, opaqueSecret } from '../../test/hosts/secret-echoes';
import { useNock } from './support/hosts';

useNock();


function everything(error: unknown): string {
	const record = error as { message?: unknown; description?: unknown; context?: unknown; stack?: unknown };
	return [record.message, record.description, JSON.stringify(record.context ?? {}), record.stack].map(String).join('\n');
}

describe('n8n errors never carry the credential’s secrets', () => {
	let cal: FakeCalcom;
	let secrets: { clientSecret: string; accessToken: string; refreshToken: string };

	function host(expiresIn = 1800): N8nHost {
		cal.validAccessTokens.add(secrets.accessToken);
		cal.liveRefreshToken = secrets.refreshToken;
		return new N8nHost({
			nodeType: new CalComTrigger(),
			credentialType: new CalComOAuth2Api(),
			credential: {
				clientId: 'n8n-client',
				clientSecret: secrets.clientSecret,
				instance: 'self-hosted',
				appUrl: 'https://cal.example.com',
				apiUrl: cal.apiUrl,
				scopes: ['BOOKING_READ'],
				oauthTokenData: {
					access_token: secrets.accessToken,
					refresh_token: secrets.refreshToken,
					token_type: 'bearer',
					expires_in: expiresIn,
					n8n_expires_at: String(Date.now() + expiresIn * 1000),
				},
			},
			parameters: { event: 'booking_created' },
		});
	}

	beforeEach(() => {
		cal = new FakeCalcom();
		secrets = { clientSecret: opaqueSecret('cs'), accessToken: opaqueSecret('at'), refreshToken: opaqueSecret('rt') };
	});

	it('a poll whose 4xx echoes the access token and the client secret', async () => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		cal.queuedFaults.push({
			path: '/v2/bookings',
			status: 400,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'error', error: { code: 'BadRequestException', message: `token ${echoes(secrets.accessToken, secrets.clientSecret)} rejected` } }),
		});
		const error = await n8n.tick().catch((caught: unknown) => caught);
		expect((error as Error).message).toMatch(/GET \/v2\/bookings/);
		expectNoSecret(everything(error), secrets.accessToken, secrets.clientSecret);
	});

	it('a refresh whose error echoes the refresh token and the client secret', async () => {
		const n8n = host(30);
		await n8n.activate();
		cal.advance(60);
		cal.expireAccessTokens();
		cal.queuedFaults.push({
			path: '/v2/auth/oauth2/token',
			status: 400,
			body: JSON.stringify({ error: 'invalid_request', error_description: `refresh_token ${echoes(secrets.refreshToken)} client ${echoes(secrets.clientSecret)}` }),
		});
		const error = await n8n.tick().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(Error);
		expectNoSecret(everything(error), secrets.refreshToken, secrets.clientSecret, secrets.accessToken);
	});
});
