/**
 * @packageDocumentation
 * The Cal.com OAuth 2 core shared by the Zapier app and the n8n node.
 * Pure TypeScript, no runtime dependencies, no platform imports, no I/O of its own.
 */

// Transport and errors
export * from './http';
export * from './errors';
export * from './rate-limit';

// Auth core
export * from './instances';
export * from './instance-rules';
export * from './scope-catalogue';
export * from './scopes';
export * from './redact';
export * from './request-secrets';
export * from './body';
export * from './client-settings';
export * from './classify';
export * from './input-rejections';
export * from './scope-advice';
export * from './endpoint-scopes';
export * from './request-target';
export * from './api/versions';
export * from './api/request';
export * from './base64url';
export * from './jwt';
export * from './pkce';
export * from './authorize';
export * from './tokens';
export * from './token-surface-fallback';
export * from './token-response';
export * from './api/me';
export * from './api/event-types';

// Booking events: what each one is, its item and id, its wording per platform, an example
export * from './events/catalogue';
export * from './events/item';
export * from './events/platform-wording';
export * from './events/examples';

// Bookings API and polling engine
export * from './event-type-ids';
export * from './api/bookings';
export * from './polling/events';
export * from './polling/state';
export * from './polling/reader';
export { resolveTuning, type BookingPollTuning, type ResolvedTuning } from './polling/streams';
export * from './polling/engine';

// Booking operations (actions and searches)
export * from './actions';
export * from './default-scopes';

// Instant triggers: webhook subscriptions, verified deliveries mapped onto the polling items, one dedupe
export * from './webhooks';
