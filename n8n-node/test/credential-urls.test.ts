import axios from 'axios';
import fc from 'fast-check';
import nock from 'nock';
import { Expression, Workflow, type INode } from 'n8n-workflow';

import { CalcomError, isRefusedBaseUrl, resolveInstance, type CalcomInstance } from '@calcom-oauth/shared';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { AUTHORIZE_PATH, TOKEN_PATH } from '../credentials/oauthPaths';
import { instanceFromCredentials } from '../nodes/CalCom/instance';
import { resolveCredentialData, type StoredCredentialData } from '../../test/hosts/n8n-host';

const credentialType = new CalComOAuth2Api();
const testRequest = credentialType.test.request;

/** The connection test's base URL as n8n's routing engine resolves it (full expression context). */
function testBaseUrlInWorkflow(credentials: Record<string, unknown>): unknown {
	const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never });
	const node: INode = { id: 'n', name: 'n', typeVersion: 1, type: 'n', position: [0, 0], parameters: {} };
	// n8n's routing engine hands the credential to the test request's expressions as `$credentials`.
	return workflow.expression.getComplexParameterValue(node, String(testRequest.baseURL), 'internal', { $credentials: credentials } as never);
}

/** The same, through the bare evaluator (no allow-listed globals at all). */
function testBaseUrlBare(credentials: Record<string, unknown>): unknown {
	return Expression.resolveWithoutWorkflow(String(testRequest.baseURL).slice(1), { $credentials: credentials });
}

/** The core's verdict: the instance, or what it threw (only an invalid_input CalcomError counts as a refusal). */
function core(fields: Record<string, unknown>): CalcomInstance | CalcomError {
	try {
		return instanceFromCredentials(fields as never);
	} catch (error) {
		expect(error).toBeInstanceOf(CalcomError);
		expect((error as CalcomError).kind).toBe('invalid_input');
		return error as CalcomError;
	}
}

interface Resolved {
	authUrl: string;
	accessTokenUrl: string;
	testBase: string;
}

function resolveThroughN8n(fields: Partial<StoredCredentialData>): Resolved {
	const data = resolveCredentialData(credentialType, { clientId: 'id', clientSecret: 'secret', ...fields });
	const testBase = testBaseUrlInWorkflow(data);
	expect(testBaseUrlBare(data)).toBe(testBase);
	return { authUrl: String(data.authUrl), accessTokenUrl: String(data.accessTokenUrl), testBase: String(testBase) };
}

/** Every URL is the core's, or every URL is refused; never another host. */
function expectAgreesWithCore(fields: Partial<StoredCredentialData>): Resolved {
	const resolved = resolveThroughN8n(fields);
	const expected = core(resolveCredentialData(credentialType, { clientId: 'id', ...fields }));
	const refused = [resolved.authUrl, resolved.accessTokenUrl, resolved.testBase].map(isRefusedBaseUrl);
	if (expected instanceof CalcomError || refused.some(Boolean)) {
		expect({ fields, refused }).toEqual({ fields, refused: [true, true, true] });
	} else {
		expect(resolved).toEqual({
			authUrl: `${expected.appUrl}${AUTHORIZE_PATH}`,
			accessTokenUrl: `${expected.apiUrl}${TOKEN_PATH}`,
			testBase: expected.apiUrl,
		});
	}
	return resolved;
}

const selfHosted = (appUrl: unknown, apiUrl?: unknown): Partial<StoredCredentialData> =>
	({ instance: 'self-hosted', appUrl, ...(apiUrl === undefined ? {} : { apiUrl }) }) as unknown as Partial<StoredCredentialData>;

describe('Cal.com credential URLs under hostile input (n8n-workflow’s real expression engine)', () => {
	const refusedCases: Array<[string, Partial<StoredCredentialData>, string]> = [
		['http on a public host', selfHosted('http://evil.com'), 'calcom-app-url-must-be-https:'],
		['user info', selfHosted('https://user:pass@cal.example.com'), 'calcom-app-url-has-user-info:'],
		['query string', selfHosted('https://cal.example.com/?key=1'), 'calcom-app-url-has-query:'],
		['fragment', selfHosted('https://cal.example.com/#x'), 'calcom-app-url-has-fragment:'],
		['javascript:', selfHosted('javascript:alert(1)'), 'calcom-app-url-must-be-https:'],
		['ftp:', selfHosted('ftp://cal.example.com'), 'calcom-app-url-must-be-https:'],
		['whitespace-only app URL', selfHosted('  \t '), 'calcom-app-url-is-empty:'],
		['backslash before @', selfHosted('https://evil.com\\@cal.com'), 'calcom-app-url-has-unsupported-form:'],
		['Cyrillic lookalike', selfHosted('https://cаl.com'), 'calcom-app-url-has-unsupported-form:'],
		['punycode label', selfHosted('https://xn--cl-8kc.com'), 'calcom-app-url-has-unsupported-form:'],
		['good app, http API on a public host', selfHosted('https://cal.example.com', 'http://evil.com'), 'calcom-api-url-must-be-https:'],
		['good app, API with user info', selfHosted('https://cal.example.com', 'https://a:b@api.example.com'), 'calcom-api-url-has-user-info:'],
		['bad app, good API', selfHosted('http://evil.com', 'https://api.cal.example.com'), 'calcom-app-url-must-be-https:'],
		['unknown instance kind', { instance: 'attacker' } as never, 'calcom-instance-unknown:'],
	];

	it.each(refusedCases)('%s: %j gives the unsendable %s everywhere', (_label, fields, refused) => {
		const resolved = expectAgreesWithCore(fields);
		expect(resolved).toEqual({ authUrl: `${refused}${AUTHORIZE_PATH}`, accessTokenUrl: `${refused}${TOKEN_PATH}`, testBase: refused });
	});

	const acceptedCases: Array<[string, Partial<StoredCredentialData>, string, string]> = [
		['blank API URL means the app URL', selfHosted('https://cal.example.com', '   '), 'https://cal.example.com', 'https://cal.example.com'],
		['empty API URL means the app URL', selfHosted('https://cal.example.com/', ''), 'https://cal.example.com', 'https://cal.example.com'],
		['trailing slashes and case', selfHosted(' HTTPS://Cal.Example.COM:443/base/// ', 'https://API.example.com//'), 'https://cal.example.com/base', 'https://api.example.com'],
		['loopback http', selfHosted('http://localhost:4100', 'http://127.0.0.1:4101/'), 'http://localhost:4100', 'http://127.0.0.1:4101'],
		['cloud ignores hostile leftovers', { instance: 'cloud', appUrl: 'http://evil.com', apiUrl: 'http://evil.com' } as never, 'https://app.cal.com', 'https://api.cal.com'],
		['EU', { instance: 'eu' }, 'https://app.cal.eu', 'https://api.cal.eu'],
	];

	it.each(acceptedCases)('%s', (_label, fields, appUrl, apiUrl) => {
		expect(expectAgreesWithCore(fields)).toEqual({ authUrl: `${appUrl}${AUTHORIZE_PATH}`, accessTokenUrl: `${apiUrl}${TOKEN_PATH}`, testBase: apiUrl });
	});

	it('agrees with the core on random hostile App and API URLs (property)', () => {
		const piece = fc.constantFrom('https://', 'http://', 'ftp://', '//', '/', '\\', '@', ':', '?', '#', '..', 'cal.com', 'evil.com', 'localhost', '127.0.0.1', '[::1]', 'xn--', 'а', ' ', '\t', ':443', 'u:p@', 'a', '-', '%2e');
		const url = fc.oneof(fc.array(piece, { minLength: 0, maxLength: 6 }).map((parts) => parts.join('')), fc.constant(undefined));
		fc.assert(fc.property(url, url, (appUrl, apiUrl) => void expectAgreesWithCore(selfHosted(appUrl ?? '', apiUrl))), { numRuns: 300 });
	});
});

describe('a refused URL never produces a request', () => {
	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());

	it.each([
		['the token exchange/refresh', 'accessTokenUrl' as const],
		['the connection test', 'testBase' as const],
	])('%s: axios (what n8n sends with) refuses it before connecting', async (_label, which) => {
		const scope = nock(/.*/).persist().post(/.*/).reply(200, {}).get(/.*/).reply(200, {});
		const resolved = resolveThroughN8n(selfHosted('http://evil.com'));
		const url = which === 'testBase' ? `${resolved.testBase}${String(testRequest.url)}` : resolved.accessTokenUrl;
		await expect(axios.request({ url, method: 'POST', data: 'client_secret=secret', maxRedirects: 5 })).rejects.toThrow(
			'Unsupported protocol calcom-app-url-must-be-https:',
		);
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('the connection test does not follow redirects (it carries the bearer token)', () => {
		expect(testRequest.disableFollowRedirect).toBe(true);
	});

	it('the node refuses the same settings with the core’s message', () => {
		const resolved = resolveCredentialData(credentialType, { clientId: 'id', ...selfHosted('http://evil.com') });
		expect(() => resolveInstance({ kind: 'self-hosted', appUrl: String(resolved.appUrl) })).toThrow(/unencrypted/);
		expect(() => instanceFromCredentials(resolved)).toThrow(/use https:\/\/evil\.com/);
	});
});
