/**
 * Zapier's rules for REST hook triggers (schema `BasicHookOperationSchema`: performList,
 * performSubscribe and performUnsubscribe are required for public apps; a visible trigger needs a
 * sample) and the promise that each instant trigger is its polling twin in all a Zap maps.
 */
import { INSTANT_BOOKING_EVENT_KEYS, zapierInstantTriggerWording } from '@calcom-oauth/shared';
import App from '../src/index';

interface TriggerDefinition {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: Record<string, unknown> & { type?: string; sample?: unknown; outputFields?: unknown; inputFields?: unknown };
}

const triggers = (App.triggers ?? {}) as unknown as Record<string, TriggerDefinition>;
const hooks = Object.values(triggers).filter((trigger) => trigger.operation.type === 'hook');

describe('instant (REST hook) triggers', () => {
  it('one per event Cal.com pushes, none for meeting ended', () => {
    expect(hooks.map((trigger) => trigger.key).sort()).toEqual(INSTANT_BOOKING_EVENT_KEYS.map((key) => `${key}_instant`).sort());
    expect(triggers.meeting_ended_instant).toBeUndefined();
    expect(triggers.meeting_ended?.operation.type).toBe('polling');
  });

  it.each(INSTANT_BOOKING_EVENT_KEYS.map((key) => [key]))('%s: a hook with every operation Zapier requires, worded by the core', (key) => {
    const trigger = triggers[`${key}_instant`] as TriggerDefinition;
    const wording = zapierInstantTriggerWording(key);
    expect({ key: trigger.key, noun: trigger.noun, label: trigger.display.label, description: trigger.display.description, hidden: trigger.display.hidden }).toEqual({
      key: wording.key,
      noun: wording.noun,
      label: wording.label,
      description: wording.description,
      hidden: undefined,
    });
    for (const operation of ['perform', 'performList', 'performSubscribe', 'performUnsubscribe']) expect([operation, typeof trigger.operation[operation]]).toEqual([operation, 'function']);
  });

  it.each(INSTANT_BOOKING_EVENT_KEYS.map((key) => [key]))('%s: the same inputs, output fields and sample as the polling trigger (performList = polling: instant-triggers.test.ts)', (key) => {
    const instant = triggers[`${key}_instant`] as TriggerDefinition;
    const polling = triggers[key] as TriggerDefinition;
    expect(instant.operation.inputFields).toEqual(polling.operation.inputFields);
    expect(instant.operation.outputFields).toEqual(polling.operation.outputFields);
    expect(instant.operation.sample).toEqual(polling.operation.sample);
  });
});
