import type { IDataObject } from 'n8n-workflow';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { CalComInstantTrigger } from '../nodes/CalCom/CalComInstantTrigger.node';
import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import { startEmulator, type Emulator } from '../../test/emulator';
import { N8nCredentialStore, N8nHost } from '../../test/hosts/n8n-host';
import { N8nWebhookHost } from '../../test/hosts/n8n-webhook-host';

export const INSTANT_SCOPES = ['BOOKING_READ', 'EVENT_TYPE_READ', 'WEBHOOK_READ', 'WEBHOOK_WRITE'];

export interface InstantSetup {
	emu: Emulator;
	instant: N8nWebhookHost;
	/** The polling trigger on the same credential and event, to compare items with. */
	polling: N8nHost;
	close(): Promise<void>;
}

/** The emulator pushing to the instant trigger in an n8n-like host, signed in through the package's credential. */
export async function startInstant(parameters: IDataObject = { event: 'booking_created' }, scopes: string[] = INSTANT_SCOPES): Promise<InstantSetup> {
	const emu = await startEmulator({ era: '2026', bookings: 2, startAt: '2026-03-02T09:00:00Z', allowLoopbackWebhooks: true });
	const { clientId, clientSecret } = emu.seeded.clients.scoped;
	const tokens = emu.mintTokens({ clientId, userId: 1, scopes });
	const credential = new N8nCredentialStore({
		clientId,
		clientSecret: clientSecret ?? '',
		instance: 'self-hosted',
		appUrl: emu.appUrl,
		apiUrl: emu.apiUrl,
		scopes,
		oauthTokenData: { ...tokens, n8n_expires_at: String(emu.clock.now() + tokens.expires_in * 1000) },
	});
	const common = { credentialType: new CalComOAuth2Api(), credential, parameters, now: () => emu.clock.now() };
	const instant = new N8nWebhookHost({ ...common, nodeType: new CalComInstantTrigger(), nodeName: 'Cal.com Instant Trigger' });
	const polling = new N8nHost({ ...common, nodeType: new CalComTrigger() });
	await instant.listen();
	return {
		emu,
		instant,
		polling,
		async close() {
			await instant.close();
			await emu.close();
		},
	};
}

/** Requests the emulator logged to a path prefix since the last `clearRequestLog()`. */
export function requestsTo(emu: Emulator, prefix: string, method?: string): number {
	return emu.requestLog().filter((request) => request.path.startsWith(prefix) && (method === undefined || request.method === method)).length;
}

export const jsonOf = (items: ReadonlyArray<{ json: IDataObject }> | undefined): IDataObject[] => (items ?? []).map((item) => item.json);
