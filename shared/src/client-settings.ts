/**
 * Where a Cal.com OAuth client's scopes, redirect URIs, credentials and review status are managed,
 * for messages and help texts on every platform: one spelling, so a renamed Cal.com menu is one edit.
 */
export const OAUTH_CLIENT_SETTINGS_HINT = 'Cal.com Settings → Developer → OAuth clients';
