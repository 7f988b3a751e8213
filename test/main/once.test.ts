/**
 * `npm start -- --once`, the path CI runs: the embedded emulator, both platforms connected through
 * the consent page, and every kind of booking event delivered through the real Zapier triggers and
 * the real n8n trigger, with a refresh and a 429 on the way, and nothing secret printed.
 */
import { ONCE_REQUIRED_EVENTS, type DemoResult } from './demo';
import { runOnceCapturing } from './once-run';

let result: DemoResult;
let output: string;
let secrets: string[];

beforeAll(async () => {
  ({ result, output, secrets } = await runOnceCapturing());
}, 60_000);

const lines = (): string[] => output.split('\n');

describe('npm start -- --once', () => {
  it('succeeds', () => {
    expect(result.exitCode).toBe(0);
    expect(output).toMatch(/One full cycle in [\d.]+ s: every event kind through both adapters/);
  });

  it('logs the OAuth flow step by step for each platform', () => {
    for (const platform of ['Zapier', 'n8n']) {
      const start = output.indexOf(`Connecting ${platform}:`);
      expect(start).toBeGreaterThanOrEqual(0);
      const section = output.slice(start, output.indexOf(`${platform} is connected`, start));
      expect(section).toMatch(/1\. Authorize URL.*asking for BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ/);
      expect(section).toMatch(/http:\/\/127\.0\.0\.1:\d+\/auth\/oauth2\/authorize\?client_id=[0-9a-f]{64}&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback&state=\S+&scope=BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ,BOOKING_WRITE,WEBHOOK_READ,WEBHOOK_WRITE,EVENT_TYPE_WRITE&response_type=code/);
      expect(section).toMatch(/signed in to the consent page as alice@example\.com/);
      expect(section).toMatch(/pressed "Allow" on the consent page/);
      expect(section).toMatch(/2\. Code received on http:\/\/127\.0\.0\.1:\d+\/callback; state matches/);
      expect(section).toMatch(/3\. Token exchange: .*POST \/v2\/auth\/oauth2\/token.* answered 200: access token \(bearer\) valid 30 min, refresh token received/);
      expect(section).toMatch(/4\. Granted scopes: BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ, BOOKING_WRITE, WEBHOOK_READ, WEBHOOK_WRITE, EVENT_TYPE_WRITE/);
    }
    expect(output).toMatch(/Authorize URL from the Zapier app \(zapier-platform-core\)/);
    expect(output).toMatch(/5\. GET \/v2\/me: alice \(Alice Example, alice@example\.com\); n8n is connected/);
  });

  it('records a baseline first and emits nothing from it', () => {
    const baseline = lines().findIndex((line) => /7 workflows activated; each first poll recorded its baseline/.test(line));
    const firstChange = lines().findIndex((line) => /demo +Cal\.com: .* booked/.test(line));
    expect(baseline).toBeGreaterThan(0);
    expect(firstChange).toBeGreaterThan(baseline);
    expect(lines().slice(0, firstChange).some((line) => /^\S+ (zapier|n8n) +booking_|^\S+ (zapier|n8n) +meeting_/.test(line))).toBe(false);
  });

  it.each(['zapier', 'n8n'] as const)('delivers every kind of event through %s, each once', (adapter) => {
    const delivered = result.events.filter((event) => event.adapter === adapter);
    for (const kind of ONCE_REQUIRED_EVENTS) {
      expect(delivered.filter((event) => event.event === kind).length).toBeGreaterThanOrEqual(1);
      expect(output).toMatch(new RegExp(`^\\S+ ${adapter} +${kind} +"`, 'm'));
    }
    const keys = delivered.map((event) => `${event.event} ${event.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(output).not.toMatch(/DUPLICATE/);
    expect(result.counters.events[adapter]).toBe(delivered.length);
  });

  it('delivers the same booking events through both adapters', () => {
    const uidsOf = (adapter: 'zapier' | 'n8n', kind: string) =>
      result.events.filter((event) => event.adapter === adapter && event.event === kind).map((event) => event.summary.replace(/ · uid .*$/, '')).sort();
    for (const kind of ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'booking_rejected', 'meeting_ended']) {
      expect(uidsOf('zapier', kind)).toEqual(uidsOf('n8n', kind));
    }
  });

  it('shows a token refresh in each adapter and a 429 waited out', () => {
    expect(output).toMatch(/zapier +✔ access token expired → refreshed: Zapier ran the app's refreshAccessToken/);
    expect(output).toMatch(/n8n +✔ access token expired → refreshed: n8n's httpRequestWithAuthentication refreshed the credential/);
    expect(output).toMatch(/429 on .*: Cal\.com says wait 60 s \(X-RateLimit-Reset-Default\) → waiting it out/);
    expect(result.counters.refreshes).toBeGreaterThanOrEqual(2);
    expect(result.counters.rateLimitWaits).toBe(1);
  });

  it('runs the action loop through both adapters: find slots, book, "New Booking" in both, reschedule, cancel', () => {
    const steps = {
      zapier: ['Find Available Slots', 'Create Booking', 'Reschedule Booking', 'Cancel Booking'],
      n8n: ['Slot → Get Many', 'Booking → Create', 'Booking → Reschedule', 'Booking → Cancel'],
    };
    for (const [adapter, [find, book, reschedule, cancel]] of Object.entries(steps)) {
      const line = (label: string | undefined) => lines().filter((candidate) => candidate.includes(` ${adapter} `) && candidate.includes(`action ${label ?? ''} `));
      expect(line(find)).toEqual([expect.stringMatching(/\(event type 1, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\): \d+ free slots, earliest .* UTC · 1 Cal\.com request$/)]);
      // One Cal.com request per action when its inputs are complete.
      expect(line(book)).toEqual([expect.stringMatching(/ at .* UTC → uid \S+… · 1 Cal\.com request$/)]);
      expect(line(reschedule)).toEqual([expect.stringMatching(/ to .* UTC → new uid \S+… \(the old one is cancelled\) · 1 Cal\.com request$/)]);
      expect(line(cancel)).toEqual([expect.stringMatching(/ · 1 Cal\.com request$/)]);
    }
    expect(output).toMatch(/demo +✔ "New Booking" fired for both new bookings in both adapters, once each/);
    for (const attendee of ['Grace Zap', 'Linus Flow']) {
      for (const adapter of ['zapier', 'n8n']) {
        const created = lines().filter((line) => new RegExp(`^\\S+ ${adapter} +booking_created .*and ${attendee}"`).test(line));
        const cancelled = lines().filter((line) => new RegExp(`^\\S+ ${adapter} +booking_cancelled .*and ${attendee}"`).test(line));
        expect({ adapter, attendee, created: created.length, cancelled: cancelled.length }).toEqual({ adapter, attendee, created: 1, cancelled: 1 });
      }
    }
    expect(output).toMatch(/demo +✔ Action loop: found slots, booked, "New Booking" fired in both adapters, rescheduled and cancelled, each change seen by both/);
    expect(output).toMatch(/One full cycle in [\d.]+ s: every event kind through both adapters, the action loop through both/);
  });

  it('prints a status line after each poll', () => {
    expect(output).toMatch(/status polls 1 · requests \d+ · events zapier \d+ \/ n8n \d+ · refreshes 0 · 429 waits 0/);
    expect(output).toMatch(/status polls 2 · requests \d+ · events zapier \d+ \/ n8n \d+ · refreshes [1-9]\d* · 429 waits 1/);
  });

  it('never prints a token, code, client secret or PKCE verifier', () => {
    // Both client secrets, both connections' access and refresh tokens (before and after refresh), both codes.
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
    expect(output).not.toMatch(/[?&]code=/);
  });
});
