import { runWebhookSoak, soakPassed } from './soak';

// 300 changes with the full fault mix; the `webhook-soak` step of `npm test` runs 2,000.
jest.setTimeout(90_000);

describe('webhook soak against the emulator', () => {
  it('emits every booking change once, by the instant path or the reconciliation poll, and refuses every forgery', async () => {
    const lines: string[] = [];
    const report = await runWebhookSoak({ changes: 300, seed: 7, log: (line) => lines.push(line) });
    console.log(lines.join('\n'));

    expect({ lost: report.lost, duplicated: report.duplicated, spurious: report.spurious, forgedAccepted: report.forgedAccepted, wrongSignatureAccepted: report.wrongSignatureAccepted })
      .toEqual({ lost: [], duplicated: [], spurious: [], forgedAccepted: [], wrongSignatureAccepted: 0 });
    expect(soakPassed(report)).toBe(true);
    expect(lines.at(-1)).toBe(`webhook soak: ${report.events} events, 0 lost, 0 duplicated, ${report.forgedRefused} forged refused`);
    expect(report.events).toBeGreaterThan(300);
    expect(report.forgedRefused).toBeGreaterThan(5);
    // Both paths carried events: drops were made up for by the reconciliation poll.
    const table = lines.filter((line) => /^booking_\w+\s+\d+/.test(line)).map((line) => line.split(/\s+/));
    expect(table).toHaveLength(6);
    for (const [event, , instant, reconciled] of table) {
      expect([event, Number(instant) > 0]).toEqual([event, true]);
      if (event !== 'booking_rejected') expect([event, Number(reconciled) > 0]).toEqual([event, true]);
    }
  });
});
