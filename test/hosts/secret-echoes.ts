import { randomBytes } from 'node:crypto';

/** A secret no token shape matches: short, letters, symbols. */
export function opaqueSecret(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex').replace(/\d/g, 'q')}/+"&=`;
}

/** The forms in which Cal.com's error text may repeat a value. */
export function echoForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

/** Cal.com's error text repeating every secret in every form. */
export function echoes(...secrets: string[]): string {
  return secrets.flatMap(echoForms).join(' | ');
}

/** Asserts that `text` holds none of the secrets in any echoed form. */
export function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const form of secrets.flatMap(echoForms)) expect(text).not.toContain(form);
}
