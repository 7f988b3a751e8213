import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resolveInstance, type CalcomInstance, type InstanceKind } from '@calcom-oauth/shared';

import { CREDENTIAL_TYPE, type AuthenticatedContext } from './transport/httpExecutor';

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The Cal.com instance the credential points at, validated by the core (a bad self-hosted URL fails
 * here with a clear message instead of as a connection error later).
 */
export function instanceFromCredentials(credentials: ICredentialDataDecryptedObject): CalcomInstance {
	const kind = (text(credentials.instance) ?? 'cloud') as InstanceKind;
	const appUrl = text(credentials.appUrl);
	const apiUrl = text(credentials.apiUrl);
	return resolveInstance({
		kind,
		...(kind === 'self-hosted' && appUrl !== undefined ? { appUrl } : {}),
		...(kind === 'self-hosted' && apiUrl !== undefined ? { apiUrl } : {}),
	});
}

/** Reads the node's credential and resolves its instance. */
export async function loadInstance(context: AuthenticatedContext): Promise<CalcomInstance> {
	return instanceFromCredentials(await context.getCredentials(CREDENTIAL_TYPE));
}
