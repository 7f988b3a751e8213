import { CALCOM_CLOUD, CALCOM_EU, DEFAULT_TRIGGER_SCOPES } from '@calcom-oauth/shared';

/**
 * n8n expressions (without the leading "=") that turn the credential's visible fields into URLs and
 * the scope string. They run inside n8n's expression engine, so they cannot call the shared core:
 * they only pick the preset base URL of each cloud from it and, for self-hosted installations, strip
 * trailing slashes the way the core's URL normalisation does. The node itself resolves the instance
 * with the core's `resolveInstance`, which also validates the URLs.
 *
 * @param source - `$self` inside the credential's own fields, `$credentials` in its test request.
 */
export function appUrlExpression(source = '$self'): string {
	const instance = `${source}["instance"]`;
	const selfHosted = `(${source}["appUrl"] || "").toString().trim().replace(/\\/+$/, "")`;
	return `{{ ${instance} === "eu" ? "${CALCOM_EU.appUrl}" : ${instance} === "self-hosted" ? ${selfHosted} : "${CALCOM_CLOUD.appUrl}" }}`;
}

/** API v2 base URL; a self-hosted installation without a separate API URL serves the API from its app URL. */
export function apiUrlExpression(source = '$self'): string {
	const instance = `${source}["instance"]`;
	const selfHosted = `(${source}["apiUrl"] || ${source}["appUrl"] || "").toString().trim().replace(/\\/+$/, "")`;
	return `{{ ${instance} === "eu" ? "${CALCOM_EU.apiUrl}" : ${instance} === "self-hosted" ? ${selfHosted} : "${CALCOM_CLOUD.apiUrl}" }}`;
}

/**
 * Comma-joined scopes (every version of Cal.com's consent page splits on commas, and n8n then sends
 * them comma-joined too). An empty selection falls back to the trigger's defaults: an empty string
 * would make n8n send `scope=`, and a missing one would make it ask for `openid`.
 */
export function scopeExpression(source = '$self'): string {
	const fallback = DEFAULT_TRIGGER_SCOPES.join(',');
	return `{{ [].concat(${source}["scopes"] || []).join(",") || "${fallback}" }}`;
}
