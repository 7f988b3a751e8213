/**
 * @packageDocumentation
 * The Cal.com OAuth 2 core shared by the Zapier app and the n8n node.
 * Pure TypeScript, no runtime dependencies, no platform imports, no I/O of its own.
 */

// Transport and errors
export * from './http';
export * from './errors';
