import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import {
	CALCOM_CLOUD,
	CALCOM_EU,
	defaultIntegrationScopes,
	LEGACY_SCOPE_NAMES,
	OAUTH_CLIENT_SETTINGS_HINT,
	SCOPE_CATALOGUE,
	type InstanceKind,
} from '@calcom-oauth/shared';

import { apiUrlExpression, appUrlExpression, scopeExpression } from './instanceExpressions';
import { AUTHORIZE_PATH, CONNECTION_TEST_PATH, TOKEN_PATH } from './oauthPaths';

const instanceOptions: Array<{ name: string; value: InstanceKind; description: string }> = [
	{ name: 'Cal.com Cloud', value: 'cloud', description: `${CALCOM_CLOUD.appUrl} and ${CALCOM_CLOUD.apiUrl}` },
	{ name: 'Cal.com EU Cloud', value: 'eu', description: `${CALCOM_EU.appUrl} and ${CALCOM_EU.apiUrl}` },
	{ name: 'Self-Hosted', value: 'self-hosted', description: 'Your own Cal.com installation' },
];

/**
 * Cal.com OAuth 2 (authorization code). n8n runs the consent, the code exchange and every refresh;
 * this class only tells it where Cal.com lives and what to ask for.
 *
 * The token URLs are hidden expressions over the visible instance fields because n8n 2.41 pins
 * hidden URL fields to their defaults (stored values are dropped), so a default expression is the
 * only way one credential type can serve the US cloud, the EU cloud and self-hosted installations.
 */
export class CalComOAuth2Api implements ICredentialType {
	name = 'calComOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Cal.com OAuth2 API';

	icon: Icon = { light: 'file:../icons/calcom.svg', dark: 'file:../icons/calcom.dark.svg' };

	documentationUrl = 'https://github.com/calcom-oauth-integrations/calcom-oauth-integrations/tree/main/n8n-node#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Cal.com Instance',
			name: 'instance',
			type: 'options',
			options: instanceOptions,
			default: 'cloud',
			description: 'Where the Cal.com account lives',
		},
		{
			displayName: 'App URL',
			name: 'appUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://cal.example.com',
			description: 'Base URL of the Cal.com web app (where users sign in and approve access)',
			displayOptions: { show: { instance: ['self-hosted'] } },
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.cal.example.com',
			description: 'Base URL of the Cal.com API v2, without /v2. Leave empty when the API is served from the app URL.',
			displayOptions: { show: { instance: ['self-hosted'] } },
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'multiOptions',
			options: SCOPE_CATALOGUE.map((scope) => ({
				name: scope.name,
				value: scope.name,
				description: scope.description,
			})),
			default: [...defaultIntegrationScopes('v2')],
			description: `Scopes to request. They must be registered on the OAuth client in ${OAUTH_CLIENT_SETTINGS_HINT}. Clients created before scopes existed accept ${LEGACY_SCOPE_NAMES.join(' and ')}.`,
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `=${appUrlExpression()}${AUTHORIZE_PATH}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `=${apiUrlExpression()}${TOKEN_PATH}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `=${scopeExpression()}`,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Cal.com's token endpoint wants client_id (and the secret) in the form body; Basic auth
			// would leave client_id out of the body and be refused.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `=${apiUrlExpression('$credentials')}`,
			url: CONNECTION_TEST_PATH,
			// The test carries the bearer token; a redirect must fail the test, not take the token elsewhere.
			disableFollowRedirect: true,
		},
	};
}
