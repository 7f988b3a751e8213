import { runSoak } from './soak';

// 10,000 randomized booking changes against the emulator; prints its figures. Takes about a minute.
jest.setTimeout(300_000);

describe('polling engine soak against the emulator', () => {
  it('loses nothing, repeats nothing and keeps stateless ids stable through faults, expiry, ties, skew and a state loss', async () => {
    const lines: string[] = [];
    const report = await runSoak({ mutations: 10_000, log: (line) => lines.push(line) });
    console.log(lines.join('\n'));

    expect(report.mutations).toBeGreaterThanOrEqual(10_000);
    expect(report.faultsInjected).toBeGreaterThan(30);
    expect(report.refreshes).toBeGreaterThan(0);
    expect(lines.some((line) => line.includes('state lost'))).toBe(true);
    for (const row of report.stateful) {
      expect({ name: row.name, lost: row.lost, duplicated: row.duplicated, spurious: row.spurious }).toEqual({ name: row.name, lost: 0, duplicated: 0, spurious: 0 });
      expect(row.required).toBeGreaterThan(0);
      expect(row.reported).toBeGreaterThanOrEqual(row.required);
      expect(row.maxStateBytes).toBeLessThan(32_000);
      // Faults reached every consumer, and each recovered by repeating its poll.
      expect(Object.values(row.failures).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    for (const row of report.stateless) {
      expect({ name: row.name, unstable: row.unstable }).toEqual({ name: row.name, unstable: 0 });
      expect(row.ids).toBeGreaterThan(0);
    }
  });
});
