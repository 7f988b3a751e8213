/**
 * What the demo needs from each platform adapter, whatever runs it: a first poll that records the
 * baseline, then polls that return each new event once. Implemented over the Zapier host
 * (zapier-platform-core) and the n8n host (the trigger's `poll()`).
 */

export type AdapterName = 'zapier' | 'n8n';

/** One event as an adapter delivered it (a Zapier trigger result, an n8n execution item). */
export interface AdapterEvent {
  adapter: AdapterName;
  /** The polling engine's event key, e.g. `booking.created`. */
  event: string;
  /** The id the platform dedupes on. */
  id: string;
  /** One human line: who, what, when. */
  summary: string;
}

/** What happened inside the platform's auth handling during a poll, for the log. */
export type SessionNotice =
  | { kind: 'refreshed'; adapter: AdapterName; detail: string }
  | { kind: 'rate-limited'; adapter: AdapterName; trigger: string; waitSeconds: number };

export interface SessionHooks {
  notice(notice: SessionNotice): void;
  /** Waits out a 429 as the platform would before the next attempt; resolves when the wait is over. */
  waitOut(seconds: number): Promise<void>;
}

export interface AdapterSession {
  readonly name: AdapterName;
  /** Trigger keys (Zapier) or workflow names (n8n) this session polls. */
  readonly triggers: readonly string[];
  /** The first poll of every trigger: Zapier seeds its dedupe store, n8n activates the workflows. Emits nothing. */
  start(hooks: SessionHooks): Promise<void>;
  /** One poll of every trigger; each event is returned once over the session's life. */
  poll(hooks: SessionHooks): Promise<AdapterEvent[]>;
}
