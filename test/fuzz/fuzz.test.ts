import { PROPERTIES } from './properties';
import { runProperty } from './runner';
import { KIND_LABEL } from './findings';
import { releaseNetwork } from './net';

/**
 * The fuzz properties with a few hundred cases each, so `npx jest` catches a regression; the gate
 * (`npx tsx test/fuzz/run.ts`, step `fuzz`) runs 10,000. Each failure class is listed with its
 * shrunk, redacted counterexample and the seed that replays it.
 */
const CASES: Record<string, number> = { 'core-token': 300, 'core-api': 300, 'core-settings': 300, 'core-poll': 200, zapier: 100, n8n: 150 };
const SEED = 20260302;

afterAll(() => releaseNetwork());

describe('fuzz: generated malformed Cal.com answers and hostile settings', () => {
  for (const property of PROPERTIES) {
    it(`${property.name}: ${property.what}`, async () => {
      const report = await runProperty(property, { numRuns: CASES[property.name] ?? 100, seed: SEED, shrinkMs: 1500, maxClasses: 5 });
      const lines = report.failures.map((f) => `${KIND_LABEL[f.kind]}: ${f.signature} (${f.cases} cases; seed ${f.seed}) ${f.counterexample ?? f.detail}`);
      expect(lines).toEqual([]);
    }, 120_000);
  }
});
