import { mint, useCloudEnv } from '../helpers';

export const US_CLIENT_ID = 'zapier-us-client';
export const EU_CLIENT_ID = 'zapier-eu-client';

/** A public deployment: the app's own US and EU clients, fresh secrets per call; nothing else set. */
export function usePublicEnv(overrides: Record<string, string> = {}): { usSecret: string; euSecret: string } {
  delete process.env.CLIENT_ID_EU;
  delete process.env.CLIENT_SECRET_EU;
  const { clientSecret: usSecret } = useCloudEnv({ CLIENT_ID: US_CLIENT_ID });
  const euSecret = mint('eu-secret');
  Object.assign(process.env, { CLIENT_ID_EU: EU_CLIENT_ID, CLIENT_SECRET_EU: euSecret }, overrides);
  return { usSecret, euSecret };
}

/** The connect form of a self-hosted connection, with a fresh client secret. */
export function selfHostedFields(appUrl: string, apiUrl = '', clientId = 'self-hosted-client'): Record<string, string> {
  return { region: 'self-hosted', app_url: appUrl, api_url: apiUrl, self_hosted_client_id: clientId, self_hosted_client_secret: mint('own-secret') };
}
