import { REDACTED, redactSecrets, summarizeForMessage } from '../src/redact';
import { mintAccessToken, mintClientSecret, mintRefreshToken } from './support/tokens';

describe('redactSecrets', () => {
  it("removes the access token Cal.com embeds in its 403 message", () => {
    const token = mintAccessToken();
    const text = redactSecrets(`PermissionsGuard - no oAuth client found for access token=${token}`);
    expect(text).toBe(`PermissionsGuard - no oAuth client found for access token=${REDACTED}`);
  });

  it('removes JWTs anywhere, bearer values, secret-named fields and callback codes', () => {
    const refresh = mintRefreshToken();
    const secret = mintClientSecret();
    const text = redactSecrets(
      `{"refresh_token":"${refresh}"} Authorization: Bearer opaque-value client_secret=${secret}&client_id=abc https://x.test/cb?code=Zx9_code-value&state=s1 password: pw12`,
    );
    expect(text).not.toContain(refresh);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('opaque-value');
    expect(text).not.toContain('Zx9_code-value');
    expect(text).not.toContain('pw12');
    expect(text).toContain('client_id=abc');
    expect(text).toContain('state=s1');
    expect(text).toContain(`Bearer ${REDACTED}`);
  });

  it('removes long opaque strings mixing letters and digits but keeps scope names and words', () => {
    const text = redactSecrets('key 0123456789abcdef0123456789abcdef01 for TEAM_VERIFIED_RESOURCES_WRITE insufficient_scope');
    expect(text).toBe(`key ${REDACTED} for TEAM_VERIFIED_RESOURCES_WRITE insufficient_scope`);
  });

  it('removes known secrets even when they match no pattern', () => {
    expect(redactSecrets('the word sesame opens', ['sesame', undefined, ''])).toBe(`the word ${REDACTED} opens`);
  });

  it('summarises with redaction, collapsed whitespace and a length cap', () => {
    const summary = summarizeForMessage(`a\n\n b ${mintAccessToken()} ${'x'.repeat(400)}`, 50);
    expect(summary.startsWith(`a b ${REDACTED} x`)).toBe(true);
    expect(summary.length).toBe(50);
    expect(summary.endsWith('…')).toBe(true);
  });
});
