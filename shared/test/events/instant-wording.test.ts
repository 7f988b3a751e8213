import { BOOKING_EVENT_KEYS } from '../../src/events/catalogue';
import { INSTANT_BOOKING_EVENT_KEYS, zapierInstantTriggerWording, zapierTriggerWording } from '../../src/events/platform-wording';
import { INSTANT_TRIGGER_SCOPES, defaultIntegrationScopes } from '../../src/default-scopes';
import { webhookTriggersFor } from '../../src/webhooks';

describe('instant trigger wording', () => {
  it('offers every event but meeting ended, which stays polling only', () => {
    expect(INSTANT_BOOKING_EVENT_KEYS).toEqual(BOOKING_EVENT_KEYS.filter((key) => key !== 'meeting_ended'));
    expect(() => zapierInstantTriggerWording('meeting_ended')).toThrow(/polling only/);
    // Each instant event has Cal.com triggers to subscribe to.
    for (const key of INSTANT_BOOKING_EVENT_KEYS) expect(webhookTriggersFor(key).length).toBeGreaterThan(0);
  });

  it.each(INSTANT_BOOKING_EVENT_KEYS.map((key) => [key]))('%s: the polling wording with an _instant key and an "(Instant)" label', (key) => {
    const polling = zapierTriggerWording(key);
    const instant = zapierInstantTriggerWording(key);
    expect(instant).toMatchObject({ key: `${key}_instant`, event: key, noun: polling.noun, label: `${polling.label} (Instant)`, offersIncludeUnconfirmed: polling.offersIncludeUnconfirmed });
    expect(instant.description.startsWith(polling.description)).toBe(true);
    expect(instant.description).toMatch(/^Triggers when [a-z].*\.$/);
    expect(instant.description).not.toMatch(/Cal\.com/i);
  });

  it('New Booking reads "New Booking (Instant)"', () => {
    expect(zapierInstantTriggerWording('booking_created').label).toBe('New Booking (Instant)');
  });
});

describe('default scopes', () => {
  it('v2: triggers, actions and the webhook scopes a fresh connection needs to subscribe (event-type webhooks included)', () => {
    expect(INSTANT_TRIGGER_SCOPES).toEqual(['WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE']);
    expect(defaultIntegrationScopes('v2')).toEqual(['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ', 'BOOKING_WRITE', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE']);
  });

  it('legacy: unchanged, the two legacy scopes cover API v2 webhooks', () => {
    expect(defaultIntegrationScopes('legacy')).toEqual(['BOOKING_READ', 'PROFILE_READ']);
  });
});
