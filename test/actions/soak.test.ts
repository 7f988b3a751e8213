import { runActionSoak } from './soak';

// 100 create/cancel/reschedule actions through both adapters with injected failures; prints the table.
jest.setTimeout(120_000);

describe('action soak against the emulator', () => {
  it('never double-books and loses nothing through lost answers, 5xx, 429s and expired tokens, in both adapters', async () => {
    const lines: string[] = [];
    const report = await runActionSoak({ actions: 100, seed: 5, log: (line) => lines.push(line) });
    console.log(lines.join('\n'));

    expect(report.actions).toBe(100);
    expect({ duplicates: report.duplicates, lost: report.lost, problems: report.problems }).toEqual({ duplicates: 0, lost: 0, problems: [] });
    expect(lines.at(-1)).toBe('action soak: 100 actions, 0 duplicate bookings, 0 lost');
    for (const kind of ['create', 'cancel', 'reschedule'] as const) expect(report.byKind[kind]).toBeGreaterThan(5);
    expect(report.byAdapter.zapier).toBeGreaterThan(20);
    expect(report.byAdapter.n8n).toBeGreaterThan(20);

    // Each recovery path was taken: a committed write whose answer was lost is found, not repeated;
    // a re-run after an unknown outcome sees its own earlier write; refreshes and 429 waits replay safely.
    const reported = [...report.outcomes.values()].flatMap((byAdapter) => [...byAdapter.values()].flatMap((byOutcome) => [...byOutcome.keys()]));
    expect(reported.some((outcome) => outcome.endsWith('found_after_ambiguous_failure'))).toBe(true);
    expect(reported.some((outcome) => outcome.includes('write_outcome_unknown'))).toBe(true);
    expect(reported.some((outcome) => outcome.includes('retried after refresh'))).toBe(true);
    expect(reported.some((outcome) => outcome.includes('waited out 429'))).toBe(true);
    // A 5xx before the commit wrote nothing, so the user's re-run books for real; never a failure left over.
    const beforeCommit = [...(report.outcomes.get('5xx before commit')?.values() ?? [])].flatMap((byOutcome) => [...byOutcome.keys()]);
    expect(beforeCommit.length).toBeGreaterThan(0);
    for (const outcome of beforeCommit) expect(outcome).toMatch(/user re-ran after write_outcome_unknown → .*done$/);
    expect(report.failed).toBe(0);
  });
});
