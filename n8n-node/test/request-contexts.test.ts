import type { IExecuteFunctions, IHookFunctions, IHttpRequestOptions, ILoadOptionsFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { buildMeRequest } from '@calcom-oauth/shared';

import { createHttpExecutor, CREDENTIAL_TYPE, type AuthenticatedContext } from '../nodes/CalCom/transport/httpExecutor';

const INSTANCE = { appUrl: 'https://cal.example.com', apiUrl: 'https://api.cal.example.com' };

/** A context of one n8n kind whose request helper records what it was asked to send. */
function fakeContext<Context extends AuthenticatedContext>(): { context: Context; sent: Array<{ credentialType: string; options: IHttpRequestOptions }> } {
	const sent: Array<{ credentialType: string; options: IHttpRequestOptions }> = [];
	const context = {
		logger: { debug: () => undefined },
		helpers: {
			httpRequestWithAuthentication: async (credentialType: string, options: IHttpRequestOptions) => {
				sent.push({ credentialType, options });
				return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"success","data":{}}' };
			},
		},
	};
	return { context: context as unknown as Context, sent };
}

// The type arguments are the assertion that matters: each n8n function context the package's nodes
// run in must be accepted by the one request layer (issue 10, item 5), which tsc checks.
describe('n8n: every function context sends through the credential', () => {
	it.each([
		['poll', () => fakeContext<IPollFunctions>()],
		['execute', () => fakeContext<IExecuteFunctions>()],
		['webhook', () => fakeContext<IWebhookFunctions>()],
		['hook', () => fakeContext<IHookFunctions>()],
		['load options', () => fakeContext<ILoadOptionsFunctions>()],
	])('%s functions', async (_kind, make) => {
		const { context, sent } = make();
		const response = await createHttpExecutor(context, INSTANCE)(buildMeRequest({ instance: INSTANCE }));
		expect(response.status).toBe(200);
		expect(sent).toHaveLength(1);
		expect(sent[0]?.credentialType).toBe(CREDENTIAL_TYPE);
		expect(sent[0]?.options.url).toBe(`${INSTANCE.apiUrl}/v2/me`);
	});
});
