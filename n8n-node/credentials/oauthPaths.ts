import { CALCOM_CLOUD, ME_PATH, buildAuthorizeUrl, tokenEndpointUrl } from '@calcom-oauth/shared';

// The core builds full URLs for a given instance; the credential needs the paths alone, to append
// them to n8n expressions over the instance fields. Deriving them keeps Cal.com's routes in one place.
function pathUnder(url: string, base: string): string {
	return (url.startsWith(base) ? url.slice(base.length) : new URL(url).pathname).split('?')[0] ?? '';
}

/** Path of Cal.com's consent page under the app URL (`/auth/oauth2/authorize`). */
export const AUTHORIZE_PATH = pathUnder(
	buildAuthorizeUrl({
		instance: CALCOM_CLOUD,
		clientId: 'client',
		redirectUri: 'https://example.com/callback',
		state: 'state',
		scopes: [],
	}),
	CALCOM_CLOUD.appUrl,
);

/**
 * Path of the API v2 token endpoint under the API URL (`/v2/auth/oauth2/token`). It serves both the
 * code exchange and the refresh, and accepts exactly the form body n8n sends in body mode.
 */
export const TOKEN_PATH = pathUnder(tokenEndpointUrl('v2', CALCOM_CLOUD, 'refresh_token'), CALCOM_CLOUD.apiUrl);

/** Path of the credential test under the API URL: the connected user's profile, which any valid token may read. */
export const CONNECTION_TEST_PATH = ME_PATH;
