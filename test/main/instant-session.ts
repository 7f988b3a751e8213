/**
 * What the demo needs from each platform's instant path, whatever runs it: subscribe (a Zap turned
 * on, a workflow activated), hand every Cal.com delivery to the platform as it arrives, and say what
 * the platform made of it: events, or a refusal.
 */
import type { AdapterEvent, AdapterName } from './adapter-session';

/** How an instant event reached the platform: Cal.com's push, or n8n's reconciliation poll. */
export type InstantVia = 'webhook' | 'reconciled';

export interface InstantEvent extends AdapterEvent {
  via: InstantVia;
}

/** One call that reached a platform's hook or webhook URL. */
export interface InstantCall {
  adapter: AdapterName;
  /** The body exactly as it arrived, to find the Cal.com delivery it was. */
  body: string;
  subscriberUrl: string;
  /** Wall-clock time the call arrived. */
  receivedAt: number;
}

export interface InstantSink {
  /** The platform handled a call and emitted these events (none when it recognised a repeat). */
  emitted(call: InstantCall, events: InstantEvent[]): void;
  /** The platform refused a call (bad or missing signature) and started nothing. */
  refused(call: InstantCall, message: string): void;
  /** The platform failed on a call it should have handled. */
  failed(call: InstantCall, message: string): void;
}

export interface InstantSession {
  readonly name: AdapterName;
  /** Zap or workflow names, one per event Cal.com pushes. */
  readonly triggers: readonly string[];
  /** Subscribes every trigger (Zapier's performSubscribe, n8n's webhookMethods create). */
  start(sink: InstantSink): Promise<void>;
  /** The hook or webhook URL Cal.com delivers `event` to. */
  urlOf(event: string): string;
  /** Sends a forged call (a body the signature was not made for) to the URL of `event`, and waits for its answer. */
  forge(forged: { body: string; signature: string; event: string }): Promise<void>;
  /** Resolves when every call received so far has been handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
