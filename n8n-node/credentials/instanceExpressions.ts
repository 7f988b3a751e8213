import { CALCOM_CLOUD, CALCOM_EU, defaultIntegrationScopes, instanceResolverSource } from '@calcom-oauth/shared';

/**
 * n8n expressions (without the leading "=") that turn the credential's visible fields into URLs and
 * the scope string. n8n evaluates them itself, for the code exchange, every refresh and the
 * connection test, in its sandboxed expression engine where the core cannot be called. So the core
 * generates the resolver as plain JavaScript from its own URL rules: each URL is exactly the one the
 * core's `resolveInstance` gives, or, for a value the core would refuse, a `calcom-…:` URL that no
 * HTTP client sends anywhere and whose scheme says what to fix.
 */
const RESOLVER = instanceResolverSource({ cloud: CALCOM_CLOUD, eu: CALCOM_EU });

/** @param source - `$self` inside the credential's own fields, `$credentials` in its test request. */
function resolvedBase(source: string, index: 0 | 1): string {
	return `{{ (${RESOLVER})(${source}["instance"], ${source}["appUrl"], ${source}["apiUrl"])[${index}] }}`;
}

/** Web app base URL (consent page). */
export function appUrlExpression(source = '$self'): string {
	return resolvedBase(source, 0);
}

/** API v2 base URL; a self-hosted installation whose API URL is empty or blank serves the API from its app URL. */
export function apiUrlExpression(source = '$self'): string {
	return resolvedBase(source, 1);
}

/**
 * Comma-joined scopes (every version of Cal.com's consent page splits on commas, and n8n then sends
 * them comma-joined too). An empty selection falls back to the trigger's defaults: an empty string
 * would make n8n send `scope=`, and a missing one would make it ask for `openid`.
 */
export function scopeExpression(source = '$self'): string {
	const fallback = defaultIntegrationScopes('v2').join(',');
	return `{{ [].concat(${source}["scopes"] || []).join(",") || "${fallback}" }}`;
}
