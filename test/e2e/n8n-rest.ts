/**
 * n8n's own REST API (the editor's backend), reached the way the editor reaches it: the owner is set
 * up once and its `n8n-auth` session cookie goes with every call. Failures quote what n8n answered.
 */

export interface N8nSession {
	readonly baseUrl: string;
	/** The `n8n-auth` cookie's value (for a browser context that must share the session). */
	readonly authCookie: string;
	get<T>(path: string): Promise<T>;
	post<T>(path: string, body: unknown): Promise<T>;
}

async function answer<T>(response: Response, what: string): Promise<T> {
	const text = await response.text();
	if (!response.ok) throw new Error(`${what}: n8n answered HTTP ${response.status} ${text.slice(0, 500)}`);
	return JSON.parse(text) as T;
}

/** Creates n8n's owner (a fresh instance has none) and returns a session signed in as it. */
export async function ownerSession(baseUrl: string, owner: { email: string; password: string }): Promise<N8nSession> {
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: owner.email, firstName: 'E2E', lastName: 'Owner', password: owner.password }),
	});
	await answer(setup, 'POST /rest/owner/setup');
	const authCookie = setup.headers
		.getSetCookie()
		.map((cookie) => /^n8n-auth=([^;]+)/.exec(cookie)?.[1])
		.find((value) => value !== undefined);
	if (authCookie === undefined) throw new Error('POST /rest/owner/setup set no n8n-auth cookie');
	const headers = { cookie: `n8n-auth=${authCookie}` };
	return {
		baseUrl,
		authCookie,
		get: async <T>(path: string) => answer<T>(await fetch(`${baseUrl}${path}`, { headers }), `GET ${path}`),
		post: async <T>(path: string, body: unknown) =>
			answer<T>(
				await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
				`POST ${path}`,
			),
	};
}
