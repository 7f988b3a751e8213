import type { Bundle } from 'zapier-platform-core';
import {
  CALCOM_CLOUD,
  CALCOM_EU,
  CalcomError,
  OAUTH_CLIENT_SETTINGS_HINT,
  defaultIntegrationScopes,
  resolveSelfHostedInstance,
  type CalcomInstance,
  type InstanceKind,
  type TokenSurface,
} from '@calcom-oauth/shared';
import { ENV, environmentInstanceKind, readClient, readConfig, readInstance, readScopes } from './config';

/**
 * Keys of the connection's fields in `bundle.authData` (the auth fields the user fills in before the
 * redirect, plus what the code exchange learns). Stored in Zaps' connections: never rename.
 */
export const CONNECTION_FIELD = {
  region: 'region',
  appUrl: 'app_url',
  apiUrl: 'api_url',
  clientId: 'self_hosted_client_id',
  clientSecret: 'self_hosted_client_secret',
  /** Computed: the token surface that answered the code exchange (self-hosted). */
  surface: 'token_surface',
} as const;

/** Labels of the fields as the user sees them, so a message names the field to correct. */
export const CONNECTION_FIELD_LABEL = {
  region: 'Cal.com Region',
  appUrl: 'App URL',
  apiUrl: 'API URL',
  clientId: 'Client ID',
  clientSecret: 'Client Secret',
} as const;

/** What each region is called on the connect form; the keys are the stored values. */
export const REGION_CHOICES: Readonly<Record<InstanceKind, string>> = Object.freeze({
  cloud: `Cal.com (${new URL(CALCOM_CLOUD.appUrl).host})`,
  eu: `Cal.com EU (${new URL(CALCOM_EU.appUrl).host})`,
  'self-hosted': 'Self-hosted',
});

/** Everything a token request of one connection needs: where, with which client, on which surface. */
export interface ConnectionClient {
  instance: CalcomInstance;
  clientId: string;
  clientSecret: string;
  /** The token surface, when known; undefined for a self-hosted connection not yet exchanged (v2 is tried, then legacy). */
  surface: TokenSurface | undefined;
  /** The scopes to ask for on `surface` (current names; sent as legacy names there). */
  scopesFor(surface: TokenSurface): string[];
}

type Fields = Readonly<Record<string, unknown>>;
type Env = Readonly<Record<string, string | undefined>>;

function text(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The region a connection chose, or undefined for a connection made before the choice existed
 * (it then serves the instance the deployment's environment names, as it always did).
 */
function regionOf(fields: Fields): InstanceKind | undefined {
  const region = text(fields, CONNECTION_FIELD.region);
  if (region === undefined) return undefined;
  if (region in REGION_CHOICES) return region as InstanceKind;
  throw new CalcomError('invalid_input', `${CONNECTION_FIELD_LABEL.region} "${region.slice(0, 40)}" is not one of ${Object.values(REGION_CHOICES).join(', ')}; reconnect and choose one.`);
}

/** The self-hosted installation named by the connection's URLs, refused on Cal.com's cloud hosts. */
function selfHostedInstance(fields: Fields): CalcomInstance {
  const appUrl = text(fields, CONNECTION_FIELD.appUrl);
  const apiUrl = text(fields, CONNECTION_FIELD.apiUrl);
  return resolveSelfHostedInstance({
    ...(appUrl === undefined ? {} : { appUrl }),
    ...(apiUrl === undefined ? {} : { apiUrl }),
    labels: { appUrl: `${CONNECTION_FIELD_LABEL.appUrl} (Self-hosted)`, apiUrl: `${CONNECTION_FIELD_LABEL.apiUrl} (Self-hosted)` },
  });
}

/** The Cal.com instance of a connection, from its fields; from the environment for an older connection. */
export function instanceFromFields(fields: Fields, env: Env = process.env): CalcomInstance {
  switch (regionOf(fields)) {
    case undefined:
      return readInstance(env);
    case 'cloud':
      return { ...CALCOM_CLOUD };
    case 'eu':
      return { ...CALCOM_EU };
    case 'self-hosted':
      return selfHostedInstance(fields);
  }
}

/**
 * The one way every operation finds its Cal.com: the connection's own instance (`bundle.authData`),
 * or, for a connection made before regions existed, what the deployment's environment says.
 */
export function instanceOf(bundle: Partial<Pick<Bundle, 'authData'>>): CalcomInstance {
  return instanceFromFields((bundle.authData ?? {}) as Fields);
}

/**
 * The app's own OAuth client for a cloud region. `CLIENT_ID`/`CLIENT_SECRET` serve the instance
 * `CALCOM_INSTANCE` names (the US cloud unless set), so a private copy made for cal.eu keeps working;
 * `CLIENT_ID_EU`/`CLIENT_SECRET_EU` are the EU cloud's own.
 */
function cloudClient(region: 'cloud' | 'eu', env: Env): Pick<ConnectionClient, 'clientId' | 'clientSecret'> {
  const deploymentKind = environmentInstanceKind(env);
  const where = REGION_CHOICES[region];
  if (region === 'eu' && (env[ENV.clientIdEu]?.trim() || deploymentKind !== 'eu')) {
    return readClient(env, { clientId: ENV.clientIdEu, clientSecret: ENV.clientSecretEu }, `the credentials of its OAuth client on ${where}`);
  }
  if (deploymentKind !== region) {
    // Only the US cloud gets here: CLIENT_ID is then some other instance's client, never to be sent to app.cal.com.
    throw new CalcomError(
      'invalid_input',
      `This Zapier integration has no OAuth client for ${where}: its ${ENV.clientId} and ${ENV.clientSecret} serve ${ENV.instance}=${deploymentKind}; its developer must register a client on ${where} and set it as ${ENV.clientId} and ${ENV.clientSecret} with ${ENV.instance} unset (zapier-platform env:set). Until then choose another region.`,
    );
  }
  return readClient(env, { clientId: ENV.clientId, clientSecret: ENV.clientSecret }, `the credentials of its OAuth client on ${where}`);
}

/** The OAuth client the user created on their own Cal.com and typed into the connect form. */
function selfHostedClient(fields: Fields): Pick<ConnectionClient, 'clientId' | 'clientSecret'> {
  const clientId = text(fields, CONNECTION_FIELD.clientId);
  const clientSecret = text(fields, CONNECTION_FIELD.clientSecret);
  const missing: string[] = [];
  if (clientId === undefined) missing.push(CONNECTION_FIELD_LABEL.clientId);
  if (clientSecret === undefined) missing.push(CONNECTION_FIELD_LABEL.clientSecret);
  if (missing.length > 0) {
    throw new CalcomError(
      'invalid_input',
      `A Self-hosted connection needs the ${missing.join(' and ')} of the OAuth client created on that Cal.com (${OAUTH_CLIENT_SETTINGS_HINT}); enter ${missing.length > 1 ? 'them' : 'it'} and connect again.`,
    );
  }
  return { clientId: clientId as string, clientSecret: clientSecret as string };
}

function storedSurface(fields: Fields): TokenSurface | undefined {
  const surface = text(fields, CONNECTION_FIELD.surface);
  return surface === 'v2' || surface === 'legacy' ? surface : undefined;
}

/**
 * Where and with which client a connection's token requests go: the connect form's fields while
 * connecting (`bundle.inputData`), the stored connection afterwards (`bundle.authData`). Refuses,
 * before anything is sent, a region whose client the app's developer has not set, a self-hosted URL
 * that breaks the instance rules or names Cal.com's cloud, and a self-hosted connection without its
 * client.
 */
export function connectionClient(fields: Fields, env: Env = process.env): ConnectionClient {
  const region = regionOf(fields);
  if (region === undefined) {
    const config = readConfig(env);
    return { instance: config.instance, clientId: config.clientId, clientSecret: config.clientSecret, surface: config.surface, scopesFor: () => config.scopes };
  }
  if (region === 'self-hosted') {
    const instance = selfHostedInstance(fields);
    // The admin registered the client for the core's default set; CALCOM_SCOPES is the publisher's
    // setting for the app's own cloud clients.
    return { instance, ...selfHostedClient(fields), surface: storedSurface(fields), scopesFor: (surface) => [...defaultIntegrationScopes(surface)] };
  }
  const client = cloudClient(region, env);
  const scopes = readScopes(env, 'v2');
  return { instance: instanceFromFields(fields, env), ...client, surface: 'v2', scopesFor: () => scopes };
}

/** The fields a finished connection keeps besides its tokens, in canonical form (URLs as the core normalised them). */
export function connectionFieldsToStore(fields: Fields, client: ConnectionClient, surface: TokenSurface): Record<string, string> {
  const region = regionOf(fields);
  if (region === undefined) return {};
  if (region !== 'self-hosted') return { [CONNECTION_FIELD.region]: region };
  return {
    [CONNECTION_FIELD.region]: region,
    [CONNECTION_FIELD.appUrl]: client.instance.appUrl,
    [CONNECTION_FIELD.apiUrl]: client.instance.apiUrl,
    [CONNECTION_FIELD.clientId]: client.clientId,
    [CONNECTION_FIELD.surface]: surface,
  };
}

/**
 * "cal.eu", "cal.example.com": the instance as a connection label shows it; empty for the US cloud,
 * and for a connection made before the region choice, whose label stays as it was.
 */
export function instanceLabel(bundle: Partial<Pick<Bundle, 'authData'>>): string {
  const fields = (bundle.authData ?? {}) as Fields;
  if (regionOf(fields) === undefined) return '';
  const instance = instanceFromFields(fields);
  if (instance.kind === 'cloud') return '';
  const { host } = new URL(instance.appUrl);
  return instance.kind === 'eu' ? host.replace(/^app\./, '') : host;
}
