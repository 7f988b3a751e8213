import { OAUTH_CLIENT_SETTINGS_HINT, defaultIntegrationScopes, defaultTriggerScopes } from '@calcom-oauth/shared';
import { CONNECTION_FIELD, CONNECTION_FIELD_LABEL, REGION_CHOICES } from './connection';

/**
 * Zapier's redirect URI for a CLI integration; `<ID>` is the integration's number on Zapier, fixed
 * when it is registered. Zapier passes it to the authorize URL as `redirect_uri`.
 */
export const ZAPIER_REDIRECT_URI_PATTERN = 'https://zapier.com/dashboard/auth/oauth/return/App<ID>CLIAPI/';

const SELF_HOSTED_ONLY = 'Self-hosted only; leave empty for Cal.com and Cal.com EU.';

/** What the admin of a self-hosted Cal.com registers on the OAuth client, said once for the client fields. */
const CLIENT_SETUP =
  `Create it in ${OAUTH_CLIENT_SETTINGS_HINT} on your Cal.com. Redirect URI: Zapier's for this integration, ` +
  `\`${ZAPIER_REDIRECT_URI_PATTERN}\`, where <ID> is this integration's number (it is the \`redirect_uri\` ` +
  `in the address of the Cal.com page Zapier opens when you connect). Scopes: ${defaultIntegrationScopes('v2').join(', ')} ` +
  `(triggers only: ${defaultTriggerScopes('v2').join(', ')}); a Cal.com without scopes on its clients needs none.`;

/**
 * The connect form, shown before Zapier opens Cal.com's consent page. Zapier passes the values to
 * authorizeUrl and getAccessToken as `bundle.inputData` and keeps them in `bundle.authData`, so
 * every later request and refresh goes to this connection's Cal.com with this connection's client.
 * Zapier cannot show fields conditionally, so the self-hosted ones are optional and checked in
 * authorizeUrl before the redirect.
 */
export const authFields = [
  {
    key: CONNECTION_FIELD.region,
    label: CONNECTION_FIELD_LABEL.region,
    type: 'string',
    required: true,
    default: 'cloud',
    choices: { ...REGION_CHOICES },
    helpText: `Where your Cal.com account lives: ${REGION_CHOICES.cloud}, ${REGION_CHOICES.eu}, or your own Cal.com installation (${REGION_CHOICES['self-hosted']}, then fill in the fields below).`,
  },
  {
    key: CONNECTION_FIELD.appUrl,
    label: CONNECTION_FIELD_LABEL.appUrl,
    type: 'string',
    required: false,
    placeholder: 'https://cal.example.com',
    helpText: `${SELF_HOSTED_ONLY} The address of your Cal.com web app, where you sign in: https (http only for localhost), no user name, query or #fragment.`,
  },
  {
    key: CONNECTION_FIELD.apiUrl,
    label: CONNECTION_FIELD_LABEL.apiUrl,
    type: 'string',
    required: false,
    placeholder: 'https://api.cal.example.com',
    helpText: `${SELF_HOSTED_ONLY} Only when your Cal.com serves API v2 from its own address; empty means the App URL.`,
  },
  {
    key: CONNECTION_FIELD.clientId,
    label: CONNECTION_FIELD_LABEL.clientId,
    type: 'string',
    required: false,
    helpText: `${SELF_HOSTED_ONLY} The client ID of the OAuth client for Zapier. ${CLIENT_SETUP}`,
  },
  {
    key: CONNECTION_FIELD.clientSecret,
    label: CONNECTION_FIELD_LABEL.clientSecret,
    type: 'password',
    required: false,
    helpText: `${SELF_HOSTED_ONLY} The client secret of that OAuth client (shown once when it is created). Kept with this connection only, never shown in messages.`,
  },
  {
    key: CONNECTION_FIELD.surface,
    type: 'string',
    required: false,
    computed: true,
  },
] as const;
