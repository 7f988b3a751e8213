/**
 * What API v2 accepts in a webhook body (`apps/api/v2/src/modules/webhooks/inputs/webhook.input.ts`,
 * `CreateWebhookInputDto`; update is its `PartialType`) and where it lets a webhook point
 * (`modules/webhooks/validators/webhookUrlValidator.ts`, `modules/webhooks/utils/validate-webhook-url.ts`).
 */

/** `WebhookTriggerEvents` as API v2 knew it in March 2026 (`docs/api-reference/v2/openapi.json`, `CreateWebhookInputDto`). */
export const V2_WEBHOOK_TRIGGERS: readonly string[] = [
  'BOOKING_CREATED', 'BOOKING_PAYMENT_INITIATED', 'BOOKING_PAID', 'BOOKING_RESCHEDULED', 'BOOKING_REQUESTED',
  'BOOKING_CANCELLED', 'BOOKING_REJECTED', 'BOOKING_NO_SHOW_UPDATED', 'FORM_SUBMITTED', 'MEETING_ENDED',
  'MEETING_STARTED', 'RECORDING_READY', 'INSTANT_MEETING', 'RECORDING_TRANSCRIPTION_GENERATED', 'OOO_CREATED',
  'AFTER_HOSTS_CAL_VIDEO_NO_SHOW', 'AFTER_GUESTS_CAL_VIDEO_NO_SHOW', 'FORM_SUBMITTED_NO_EVENT',
  'ROUTING_FORM_FALLBACK_HIT', 'DELEGATION_CREDENTIAL_ERROR', 'WRONG_ASSIGNMENT_REPORT',
];

/** `version` values (`WebhookVersion`); `2021-10-20` is the default and the only payload the emulator builds. */
export const WEBHOOK_VERSIONS: readonly string[] = ['2021-10-20', '2026-07-27'];
export const DEFAULT_WEBHOOK_VERSION = '2021-10-20';

const TIME_UNITS = ['DAY', 'HOUR', 'MINUTE'];
const NO_SHOW_TRIGGERS = ['AFTER_HOSTS_CAL_VIDEO_NO_SHOW', 'AFTER_GUESTS_CAL_VIDEO_NO_SHOW'];

/** The fields a create or update may set, already type-checked. */
export interface WebhookFields {
  subscriberUrl?: string;
  triggers?: string[];
  active?: boolean;
  secret?: string;
  payloadTemplate?: string;
  version?: string;
  time?: number;
  timeUnit?: string;
}

export type WebhookFieldsResult = { ok: true; fields: WebhookFields } | { ok: false; messages: string[] };

/**
 * class-validator over the body. Unknown keys are stripped, not refused (the webhook controllers use the
 * global `whitelist` pipe without `forbidNonWhitelisted`), so a PATCH with `eventTriggers` changes nothing.
 */
export function parseWebhookFields(body: Record<string, unknown>, mode: 'create' | 'update'): WebhookFieldsResult {
  const messages: string[] = [];
  const fields: WebhookFields = {};
  const required = (key: string): boolean => mode === 'create' && body[key] === undefined;

  if (body.subscriberUrl !== undefined || required('subscriberUrl')) {
    if (typeof body.subscriberUrl === 'string') fields.subscriberUrl = body.subscriberUrl;
    else messages.push('subscriberUrl must be a string');
  }
  if (body.triggers !== undefined || required('triggers')) {
    const triggers = body.triggers;
    if (!Array.isArray(triggers)) messages.push('triggers must be an array', `each value in triggers must be one of the following values: ${V2_WEBHOOK_TRIGGERS.join(', ')}`);
    else if (!triggers.every((t) => typeof t === 'string' && V2_WEBHOOK_TRIGGERS.includes(t))) {
      messages.push(`each value in triggers must be one of the following values: ${V2_WEBHOOK_TRIGGERS.join(', ')}`);
    } else fields.triggers = [...(triggers as string[])];
  }
  if (body.active !== undefined || required('active')) {
    if (typeof body.active === 'boolean') fields.active = body.active;
    else messages.push('active must be a boolean value');
  }
  if (body.secret !== undefined) {
    if (typeof body.secret === 'string') fields.secret = body.secret;
    else messages.push('secret must be a string');
  }
  if (body.payloadTemplate !== undefined) {
    if (typeof body.payloadTemplate === 'string') fields.payloadTemplate = body.payloadTemplate;
    else messages.push('payloadTemplate must be a string');
  }
  if (body.version !== undefined) {
    if (typeof body.version === 'string' && WEBHOOK_VERSIONS.includes(body.version)) fields.version = body.version;
    else messages.push(`version must be one of the following values: ${WEBHOOK_VERSIONS.join(', ')}`);
  }
  if (body.time !== undefined) {
    if (typeof body.time === 'number' && Number.isInteger(body.time)) fields.time = body.time;
    else messages.push('time must be an integer number');
  }
  if (body.timeUnit !== undefined) {
    if (typeof body.timeUnit === 'string' && TIME_UNITS.includes(body.timeUnit)) fields.timeUnit = body.timeUnit;
    else messages.push(`timeUnit must be one of the following values: ${TIME_UNITS.join(', ')}`);
  }
  if (fields.triggers?.some((t) => NO_SHOW_TRIGGERS.includes(t)) && (fields.time === undefined || fields.timeUnit === undefined)) {
    messages.push('time and timeUnit are required for Cal Video no-show triggers');
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, fields };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isPrivateOrReservedHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  return host.includes(':') && (host === '::' || host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80') || host.startsWith('::ffff:'));
}

/** Whether a hostname is this machine's loopback, where the emulator may deliver. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * Cal.com's SSRF rule: "only HTTPS URLs to public hosts are permitted" (400 `Webhook URL is not allowed: …`).
 * `allowLoopback` is the emulator's switch for tests, whose subscribers listen on http://127.0.0.1.
 * Returns the refusal, or null when the URL is allowed.
 */
export function subscriberUrlRefusal(raw: string, allowLoopback: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `Webhook URL is not allowed: ${raw} is not a valid URL`;
  }
  if (allowLoopback && isLoopbackHost(url.hostname) && (url.protocol === 'http:' || url.protocol === 'https:')) return null;
  if (url.protocol !== 'https:') return 'Webhook URL is not allowed: only HTTPS URLs to public hosts are permitted';
  if (isPrivateOrReservedHost(url.hostname)) return 'Webhook URL is not allowed: only HTTPS URLs to public hosts are permitted';
  return null;
}
