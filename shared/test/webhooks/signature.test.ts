import { createWebhookSecret, verifyWebhookSignature } from '../../src/webhooks';
import { SECRET, sign } from './support';

const body = '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-05-01T08:00:00.000Z","payload":{"uid":"bk_1","title":"Zoë"}}';

describe('verifyWebhookSignature', () => {
  it('accepts the lowercase hex HMAC-SHA256 of the raw body, as a string or as the received bytes', async () => {
    await expect(verifyWebhookSignature(body, sign(body), SECRET)).resolves.toEqual({ valid: true });
    await expect(verifyWebhookSignature(Buffer.from(body, 'utf8'), sign(body), SECRET)).resolves.toEqual({ valid: true });
    await expect(verifyWebhookSignature(body, [sign(body)], SECRET)).resolves.toEqual({ valid: true });
  });

  it('accepts uppercase hex: the same MAC bytes', async () => {
    await expect(verifyWebhookSignature(body, sign(body).toUpperCase(), SECRET)).resolves.toEqual({ valid: true });
  });

  it.each([
    ['a tampered body', body.replace('bk_1', 'bk_2'), sign(body), SECRET, 'bad_signature'],
    ['a re-serialised body (whitespace differs)', JSON.stringify(JSON.parse(body), null, 1), sign(body), SECRET, 'bad_signature'],
    ['another secret', body, sign(body, 'another-secret-0123456789'), SECRET, 'bad_signature'],
    ['no header', body, undefined, SECRET, 'missing_signature'],
    ['an empty header', body, '  ', SECRET, 'missing_signature'],
    ['"no-secret-provided" while a secret is set', body, 'no-secret-provided', SECRET, 'unsigned'],
    ['a "sha256=" prefix (not Cal.com\'s format)', body, `sha256=${sign(body)}`, SECRET, 'malformed_signature'],
    ['a truncated signature', body, sign(body).slice(0, 63), SECRET, 'malformed_signature'],
    ['two signature headers', body, [sign(body), sign(body)], SECRET, 'malformed_signature'],
    ['no stored secret', body, sign(body, ''), undefined, 'no_secret_configured'],
    ['an empty stored secret', body, sign(body, ''), '', 'no_secret_configured'],
  ])('refuses %s', async (_name, raw, header, secret, reason) => {
    const verdict = await verifyWebhookSignature(raw, header as string | string[] | undefined, secret as string | undefined);
    expect(verdict).toMatchObject({ valid: false, reason });
    if (!verdict.valid) {
      expect(verdict.message).toMatch(/^Refused /);
      expect(verdict.message).not.toContain(SECRET);
    }
  });

  it('compares through Web Crypto subtle.verify (a constant-time MAC check), never a string comparison', async () => {
    const verify = jest.spyOn(globalThis.crypto.subtle, 'verify');
    try {
      await verifyWebhookSignature(body, sign(body, 'wrong-secret-0123456789'), SECRET);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0]?.[0]).toBe('HMAC');
    } finally {
      verify.mockRestore();
    }
  });

  it('creates url-safe random secrets of 43 characters, different each time', () => {
    const a = createWebhookSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createWebhookSecret()).not.toBe(a);
  });
});
