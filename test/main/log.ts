/**
 * The main job's only way to print. Every line is scrubbed with the shared core's `redactSecrets`
 * plus the exact secrets of the current run (client secret, tokens, codes), so a token can reach
 * the terminal only through a bug in this file.
 *
 * On a terminal the status line stays at the bottom and is rewritten in place; elsewhere (CI, pipes,
 * tests) it is printed as an ordinary line.
 */
import { redactSecrets } from '@calcom-oauth/shared';

/** Where text goes: `process.stdout`, or a collector in tests. */
export interface LogSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export type LogTopic = 'setup' | 'oauth' | 'api' | 'zapier' | 'n8n' | 'demo' | 'check' | 'status' | 'fix' | 'tokens';

const TOPIC_WIDTH = 6;

const COLORS = {
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  reset: '\x1b[0m',
} as const;

export type Tone = 'plain' | 'ok' | 'warn' | 'fail' | 'note';

/**
 * Authorize-URL parameters that are public by design (RFC 6749 §4.1.1, RFC 7636 §4.3) and that the
 * user must be able to open or compare as is; every other parameter is scrubbed like any line.
 */
const PUBLIC_URL_PARAMETERS = new Set(['client_id', 'redirect_uri', 'state', 'scope', 'response_type', 'code_challenge', 'code_challenge_method']);

export class Log {
  private readonly secrets = new Set<string>();
  private statusText: string | undefined;
  private readonly live: boolean;
  private readonly color: boolean;
  private readonly clock: () => Date;

  constructor(
    private readonly sink: LogSink,
    options: { color?: boolean; clock?: () => Date } = {},
  ) {
    this.live = sink.isTTY === true;
    this.color = options.color ?? (this.live && process.env.NO_COLOR === undefined && process.env.FORCE_COLOR !== '0');
    this.clock = options.clock ?? (() => new Date());
  }

  /** Registers a value that must never be printed (client secret, token, code, PKCE verifier). */
  addSecret(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= 4) this.secrets.add(value);
  }

  /** How many exact secrets are registered, and a copy of them, for tests that prove none was printed. */
  knownSecrets(): string[] {
    return [...this.secrets];
  }

  /** Scrubs `text` exactly as every printed line is scrubbed. */
  scrub(text: string): string {
    return redactSecrets(text, [...this.secrets]);
  }

  line(topic: LogTopic, text: string, tone: Tone = 'plain'): void {
    this.emit(topic, this.scrub(text), tone);
  }

  ok(topic: LogTopic, text: string): void {
    this.line(topic, text, 'ok');
  }

  warn(topic: LogTopic, text: string): void {
    this.line(topic, text, 'warn');
  }

  fail(topic: LogTopic, text: string): void {
    this.line(topic, text, 'fail');
  }

  /**
   * Prints a URL the user must be able to open or register as is (the authorize URL, the redirect
   * URI). The generic pattern scrub would mangle its long client id and state, which are public by
   * design, so those parameters only lose known secrets; the rest of the URL is scrubbed as usual,
   * and a URL carrying a secret-named parameter is refused.
   */
  publicUrl(topic: LogTopic, label: string, url: string): void {
    const parsed = new URL(url);
    const query = new URLSearchParams();
    for (const [name, value] of parsed.searchParams) {
      if (/secret|token|verifier|^code$|password/i.test(name)) {
        throw new Error(`refusing to print a URL with the secret parameter "${name}"`);
      }
      query.append(name, PUBLIC_URL_PARAMETERS.has(name) ? this.withoutKnownSecrets(value) : this.scrub(value));
    }
    const base = this.scrub(`${parsed.origin}${parsed.pathname}`);
    // Scope commas stay literal, as the shared core writes them.
    const search = query.toString().replace(/%2C/gi, ',');
    this.emit(topic, `${label} ${base}${search === '' ? '' : `?${search}`}`, 'note');
  }

  private withoutKnownSecrets(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }

  /** Sets the bottom status line (rewritten in place on a terminal, printed as a line elsewhere). */
  status(text: string): void {
    const clean = this.scrub(text);
    if (!this.live) {
      this.emit('status', clean, 'plain');
      return;
    }
    this.statusText = clean;
    this.sink.write(`\r\x1b[2K${this.paint('dim', clean)}`);
  }

  /** Ends the live status line so the shell prompt starts on a fresh line. */
  close(): void {
    if (this.live && this.statusText !== undefined) this.sink.write('\n');
    this.statusText = undefined;
  }

  private emit(topic: LogTopic, text: string, tone: Tone): void {
    const time = this.clock().toISOString().slice(11, 19);
    const marker = tone === 'ok' ? '✔ ' : tone === 'warn' ? '! ' : tone === 'fail' ? '✖ ' : '';
    const painted = this.paint(TONE_COLOR[tone], `${marker}${text}`);
    const prefix = this.paint('dim', `${time} ${topic.padEnd(TOPIC_WIDTH)}`);
    const clearStatus = this.live && this.statusText !== undefined ? '\r\x1b[2K' : '';
    const restoreStatus = this.live && this.statusText !== undefined ? this.paint('dim', this.statusText) : '';
    this.sink.write(`${clearStatus}${prefix} ${painted}\n${restoreStatus}`);
  }

  private paint(color: keyof typeof COLORS | undefined, text: string): string {
    if (!this.color || color === undefined) return text;
    return `${COLORS[color]}${text}${COLORS.reset}`;
  }
}

const TONE_COLOR: Record<Tone, keyof typeof COLORS | undefined> = {
  plain: undefined,
  ok: 'green',
  warn: 'yellow',
  fail: 'red',
  note: 'cyan',
};

/** A sink that keeps everything written, for tests. */
export class MemorySink implements LogSink {
  readonly chunks: string[] = [];
  isTTY = false;
  write(text: string): void {
    this.chunks.push(text);
  }
  get text(): string {
    return this.chunks.join('');
  }
}
