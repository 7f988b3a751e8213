/**
 * The publishing rules Zapier checks only on its servers (`zapier-platform validate` without
 * `--without-style`, which needs zapier.com), enforced here so they hold offline:
 * D012 static sample on visible triggers, D010 sample carries the primary key, D024 sample matches
 * outputFields, D023 ISO-8601 datetimes with an offset, D018 title-case labels, D021 "Triggers when …."
 * descriptions, D007 https URLs, D003 a connection label, D005 dropdowns point at existing triggers,
 * plus the key and noun conventions of the integration build guidelines.
 */
import { createAppTester } from 'zapier-platform-core';
import { BOOKING_EVENT_KEYS, zapierTriggerWording } from '@calcom-oauth/shared';
import App from '../src/index';
import packageJson from '../package.json';
import { authorizeUrl } from '../src/authentication';
import { REDIRECT_URI, useCloudEnv } from './helpers';

interface OutputField {
  key: string;
  label?: string;
  type?: string;
}
interface TriggerDefinition {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: { sample?: Record<string, unknown>; outputFields?: OutputField[]; inputFields?: { key: string; label?: string; dynamic?: string }[] };
}

const triggers = Object.values(App.triggers ?? {}) as unknown as TriggerDefinition[];
const visible = triggers.filter((trigger) => trigger.display.hidden !== true);
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);

function isTitleCase(label: string): boolean {
  return label.split(/\s+/).every((word, index) => (index > 0 && SMALL_WORDS.has(word)) || /^[A-Z0-9(]/.test(word));
}

/** Values of a sample at an outputFields key (`a[]b` reads field b of each item of list a). */
function valuesAt(sample: Record<string, unknown>, key: string): unknown[] {
  const [list, field] = key.split('[]');
  if (field === undefined) return [sample[key]];
  const items = sample[list as string];
  return Array.isArray(items) ? items.map((item) => (item as Record<string, unknown>)[field]) : [undefined];
}

function matchesType(value: unknown, type: string | undefined): boolean {
  if (value === null) return true;
  // A list output field (`list: true`) holds items of its type.
  if (Array.isArray(value) && type !== undefined && type !== 'string') return value.every((item) => matchesType(item, type));
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
    default:
      return typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
  }
}

function collectStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, into));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((item) => collectStrings(item, into));
  return into;
}

describe('publishing rules (checked by Zapier only on its servers)', () => {
  it('has the seven booking triggers, the six instant ones (meeting ended is polling only) and the hidden dropdown', () => {
    const polling = ['booking_cancelled', 'booking_created', 'booking_rejected', 'booking_requested', 'booking_rescheduled', 'booking_updated', 'meeting_ended'];
    const instant = polling.filter((key) => key !== 'meeting_ended').map((key) => `${key}_instant`);
    expect(visible.map((trigger) => trigger.key).sort()).toEqual([...polling, ...instant].sort());
    expect(triggers.filter((trigger) => trigger.display.hidden === true).map((trigger) => trigger.key)).toEqual(['event_type_list']);
  });

  it.each(BOOKING_EVENT_KEYS.map((key) => [key]))('%s: key, noun, label, description and inputs are the core catalogue\'s Zapier wording', (key) => {
    const trigger = visible.find((candidate) => candidate.key === key);
    const wording = zapierTriggerWording(key);
    expect(trigger && { key: trigger.key, noun: trigger.noun, label: trigger.display.label, description: trigger.display.description }).toEqual({
      key: wording.key,
      noun: wording.noun,
      label: wording.label,
      description: wording.description,
    });
    expect(trigger?.operation.inputFields?.some((field) => field.key === 'includeUnconfirmed')).toBe(wording.offersIncludeUnconfirmed);
  });

  it.each(visible.map((trigger) => [trigger.key, trigger] as const))('%s: key, noun, label and description follow the guidelines', (_key, trigger) => {
    expect(trigger.key).toMatch(/^[a-z][a-z0-9_]+$/);
    expect(trigger.noun).toMatch(/^[A-Z][A-Za-z ]+[^s]$/);
    expect(trigger.display.label.length).toBeLessThanOrEqual(64);
    expect(isTitleCase(trigger.display.label)).toBe(true);
    expect(trigger.display.description).toMatch(/^Triggers when [a-z].*\.$/);
    expect(trigger.display.description).not.toMatch(/Cal\.com/i);
  });

  it.each(visible.map((trigger) => [trigger.key, trigger] as const))('%s: the static sample has the id and matches outputFields', (_key, trigger) => {
    const { sample, outputFields } = trigger.operation;
    expect(sample).toBeDefined();
    expect(outputFields?.length).toBeGreaterThan(0);
    const fields = outputFields as OutputField[];
    const record = sample as Record<string, unknown>;
    expect(typeof record.id === 'string' && record.id !== '').toBe(true);
    for (const field of fields) {
      expect(field.label).toBeTruthy();
      for (const value of valuesAt(record, field.key)) {
        if (!matchesType(value, field.type)) throw new Error(`${trigger.key}.sample ${field.key} = ${JSON.stringify(value)} is not a ${field.type ?? 'string'}`);
      }
    }
    // Every top-level sample key is described, so the Zap editor labels what users map.
    const described = new Set(fields.map((field) => field.key.split('[]')[0]));
    const undescribed = Object.keys(record).filter((key) => !described.has(key) && !['responses', 'metadata'].includes(key));
    expect(undescribed).toEqual([]);
  });

  it('every datetime in every sample is ISO-8601 with an offset', () => {
    for (const trigger of visible) {
      for (const text of collectStrings(trigger.operation.sample)) {
        if (/^\d{4}-\d{2}-\d{2}/.test(text)) expect(text).toMatch(ISO_WITH_OFFSET);
      }
    }
  });

  it('dropdowns point at existing triggers and fields', () => {
    for (const trigger of triggers) {
      for (const field of trigger.operation.inputFields ?? []) {
        if (field.dynamic === undefined) continue;
        const [key, valueField, labelField] = field.dynamic.split('.');
        const target = triggers.find((candidate) => candidate.key === key);
        expect(target).toBeDefined();
        const outputKeys = (target?.operation.outputFields ?? []).map((output) => output.key);
        expect(outputKeys).toEqual(expect.arrayContaining([valueField, labelField]));
      }
    }
  });

  it('every URL in the definition is https, and so is the authorize URL', async () => {
    const urls = collectStrings(JSON.parse(JSON.stringify(App))).flatMap((text) => text.match(/\bhttps?:\/\/[^\s"')]+/g) ?? []);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !url.startsWith('https://'))).toEqual([]);
    useCloudEnv();
    const url = await createAppTester(App)(authorizeUrl, { inputData: { state: 'x', redirect_uri: REDIRECT_URI } });
    expect(url).toMatch(/^https:\/\//);
  });

  it('sets a connection label and versions the app like package.json', () => {
    expect(App.authentication?.connectionLabel).toBeDefined();
    expect(App.version).toBe(packageJson.version);
  });

  it('asks for the Cal.com region first, then the self-hosted fields, with title-case labels and help text saying what to register', () => {
    const fields = (App.authentication?.fields ?? []) as { key: string; label?: string; type?: string; required?: boolean; computed?: boolean; helpText?: string; choices?: Record<string, string> }[];
    const shown = fields.filter((field) => field.computed !== true);
    expect(shown.map((field) => [field.key, field.label, field.type, field.required])).toEqual([
      ['region', 'Cal.com Region', 'string', true],
      ['app_url', 'App URL', 'string', false],
      ['api_url', 'API URL', 'string', false],
      ['self_hosted_client_id', 'Client ID', 'string', false],
      ['self_hosted_client_secret', 'Client Secret', 'password', false],
    ]);
    expect(fields.find((field) => field.key === 'region')?.choices).toEqual({ cloud: 'Cal.com (app.cal.com)', eu: 'Cal.com EU (app.cal.eu)', 'self-hosted': 'Self-hosted' });
    for (const field of shown) {
      expect(isTitleCase(field.label ?? '')).toBe(true);
      expect(field.helpText?.length).toBeGreaterThan(20);
      expect(field.helpText?.length).toBeLessThanOrEqual(1000);
    }
    const clientHelp = fields.find((field) => field.key === 'self_hosted_client_id')?.helpText ?? '';
    expect(clientHelp).toContain('https://zapier.com/dashboard/auth/oauth/return/App<ID>CLIAPI/');
    expect(clientHelp).toContain('BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ, BOOKING_WRITE');
    expect(clientHelp).toContain('Settings → Developer → OAuth clients');
    // Zapier reserves client_id and client_secret; the secret is a password field, never isNoSecret.
    expect(fields.map((field) => field.key)).not.toEqual(expect.arrayContaining(['client_id']));
    expect(fields.some((field) => field.key.includes('secret') && (field as { isNoSecret?: boolean }).isNoSecret === true)).toBe(false);
    expect(fields.find((field) => field.key === 'token_surface')?.computed).toBe(true);
  });
});

interface ActionDefinition {
  key: string;
  noun: string;
  display: { label: string; description: string };
  operation: { sample?: Record<string, unknown>; outputFields?: OutputField[]; inputFields?: unknown[] };
}

const creates = Object.values(App.creates ?? {}) as unknown as ActionDefinition[];
const searches = Object.values(App.searches ?? {}) as unknown as ActionDefinition[];
const actions = [...creates.map((action) => ['create', action] as const), ...searches.map((action) => ['search', action] as const)];
const staticInputFields = (action: ActionDefinition) =>
  (action.operation.inputFields ?? []).filter((field): field is { key: string; label?: string; dynamic?: string; search?: string } => typeof field === 'object' && field !== null);

describe('publishing rules for creates and searches', () => {
  it('has the seven booking creates and the three searches', () => {
    expect(creates.map((action) => action.key).sort()).toEqual(
      ['add_guests', 'cancel_booking', 'confirm_booking', 'create_booking', 'decline_booking', 'mark_no_show', 'reschedule_booking'].sort(),
    );
    expect(searches.map((action) => action.key).sort()).toEqual(['find_available_slots', 'find_booking', 'find_event_type']);
  });

  it.each(actions.map(([kind, action]) => [`${kind} ${action.key}`, kind, action] as const))('%s: key, noun, label and description follow the guidelines', (_name, kind, action) => {
    expect(action.key).toMatch(/^[a-z][a-z0-9_]+$/);
    expect(action.noun).toMatch(/^[A-Z][A-Za-z -]+[^s]$/);
    expect(action.display.label.length).toBeLessThanOrEqual(64);
    expect(isTitleCase(action.display.label)).toBe(true);
    expect(action.display.label).toMatch(kind === 'search' ? /^Find / : /^[A-Z]/);
    // Searches say "Finds …"; creates say what they do in the third person ("Creates …", "Cancels …").
    expect(action.display.description).toMatch(kind === 'search' ? /^Finds [a-z].*\.$/ : /^(Creates|Cancels|Moves|Accepts|Declines|Marks|Adds) [a-z].*\.$/);
    expect(action.display.description).not.toMatch(/Cal\.com/i);
    for (const field of staticInputFields(action)) expect(field.label !== undefined && isTitleCase(field.label)).toBe(true);
  });

  it.each(actions.map(([kind, action]) => [`${kind} ${action.key}`, action] as const))('%s: the static sample has the id, the key fields, and matches outputFields', (_name, action) => {
    const { sample, outputFields } = action.operation;
    const fields = outputFields as OutputField[];
    const record = sample as Record<string, unknown>;
    expect(typeof record.id === 'string' ? record.id !== '' : Number.isInteger(record.id)).toBe(true);
    for (const field of fields) {
      expect(field.label).toBeTruthy();
      for (const value of valuesAt(record, field.key)) {
        if (!matchesType(value, field.type)) throw new Error(`${action.key}.sample ${field.key} = ${JSON.stringify(value)} is not a ${field.type ?? 'string'}`);
      }
    }
    const described = new Set(fields.map((field) => field.key.split('[]')[0]));
    expect(Object.keys(record).filter((key) => !described.has(key) && !['responses', 'metadata'].includes(key))).toEqual([]);
    for (const text of collectStrings(record)) if (/^\d{4}-\d{2}-\d{2}/.test(text)) expect(text).toMatch(ISO_WITH_OFFSET);
  });

  it('every booking create returns the booking: uid, start, end, status, meeting URL, attendees and event type in its sample', () => {
    for (const action of [...creates, searches.find((search) => search.key === 'find_booking') as ActionDefinition]) {
      const sample = action.operation.sample as Record<string, unknown>;
      for (const key of ['bookingUid', 'start', 'end', 'status', 'meetingUrl', 'attendees', 'eventTypeId']) expect(sample[key]).toBeDefined();
    }
  });

  it('dropdowns point at existing triggers, and search-powered fields at an existing search output', () => {
    let searchPowered = 0;
    for (const action of [...creates, ...searches]) {
      for (const field of staticInputFields(action)) {
        if (field.dynamic !== undefined) {
          const [key, valueField, labelField] = field.dynamic.split('.');
          const target = triggers.find((candidate) => candidate.key === key);
          expect(target).toBeDefined();
          expect((target?.operation.outputFields ?? []).map((output) => output.key)).toEqual(expect.arrayContaining([valueField, labelField]));
        }
        if (field.search !== undefined) {
          searchPowered += 1;
          // Zapier offers a search step only next to a dropdown.
          expect(field.dynamic).toBeDefined();
          const [key, outputKey] = field.search.split('.');
          const target = searches.find((candidate) => candidate.key === key);
          expect((target?.operation.outputFields ?? []).map((output) => output.key)).toContain(outputKey);
        }
      }
    }
    expect(searchPowered).toBe(6);
  });
});

describe('process hygiene', () => {
  it("leaves Node's http, https and fetch alone when the app runs (skipHttpPatch)", async () => {
    const http = await import('node:http');
    const https = await import('node:https');
    const before = { http: http.request, https: https.request, fetch: globalThis.fetch };
    useCloudEnv();
    await createAppTester(App)(authorizeUrl, { inputData: { state: 'x', redirect_uri: REDIRECT_URI } });
    expect(http.request).toBe(before.http);
    expect(https.request).toBe(before.https);
    expect(globalThis.fetch).toBe(before.fetch);
  });
});
