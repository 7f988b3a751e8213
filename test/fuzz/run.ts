/**
 * The fuzz gate: generated malformed Cal.com answers and hostile settings through the shared core,
 * the Zapier app (zapier-platform-core's appTester) and the n8n node (the n8n host).
 *
 *   npx tsx test/fuzz/run.ts [--cases N] [--seed S|random] [--only name,name] [--no-shrink]
 *
 * Ends with `fuzz: N cases, X unclassified errors, Y secrets leaked, Z foreign hosts`; exits 1 when
 * any count (or a polling-position or number-range count) is not zero, after printing each failure
 * class with its shrunk counterexample (secrets replaced by their names) and the seed to replay it.
 */
import { PROPERTIES } from './properties';
import { emptyCounts, runProperty, type PropertyReport } from './runner';
import { KIND_LABEL, type FindingKind } from './findings';
import { quietNock } from './net';

/** The seed `npm test` replays (`--seed S` or FUZZ_SEED picks another; `random` a fresh one). */
const CI_SEED = 20261201;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<number> {
  const started = Date.now();
  const total = Number(argument('cases') ?? 10_000);
  // `npm test` replays one fixed seed, so neither a landing nor a newcomer's first run is decided by
  // chance; `--seed random` (or FUZZ_SEED=random) explores a new one and prints it for replay.
  const requested = argument('seed') ?? process.env.FUZZ_SEED;
  const seed = requested === undefined ? CI_SEED : requested === 'random' ? Date.now() % 2 ** 31 : Number(requested);
  const only = argument('only')?.split(',');
  const shrink = !process.argv.includes('--no-shrink');
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(seed)) {
    process.stdout.write('usage: npx tsx test/fuzz/run.ts [--cases N] [--seed S|random] [--only name,name] [--no-shrink]\n');
    return 2;
  }
  const chosen = PROPERTIES.filter((property) => only === undefined || only.includes(property.name));
  const weights = chosen.reduce((sum, property) => sum + property.weight, 0);
  process.stdout.write(`fuzz: seed ${seed}, ${total} cases over ${chosen.length} properties\n`);
  quietNock();
  const reports: PropertyReport[] = [];
  for (const property of chosen) {
    const numRuns = Math.max(1, Math.round((total * property.weight) / weights));
    const report = await runProperty(property, { numRuns, seed, shrink });
    reports.push(report);
    const counts = (Object.keys(report.counts) as FindingKind[]).filter((kind) => report.counts[kind] > 0).map((kind) => `${report.counts[kind]} ${KIND_LABEL[kind]}`);
    process.stdout.write(`  ${property.name.padEnd(16)} ${String(report.cases).padStart(6)} cases  ${(report.ms / 1000).toFixed(1).padStart(6)} s  ${counts.length === 0 ? 'ok' : counts.join(', ')}  (${property.what})\n`);
  }
  const totals = emptyCounts();
  for (const report of reports) for (const kind of Object.keys(totals) as FindingKind[]) totals[kind] += report.counts[kind];
  const failures = reports.flatMap((report) => report.failures);
  if (failures.length > 0) {
    process.stdout.write(`\n${failures.length} failure classes:\n`);
    for (const failure of failures) {
      process.stdout.write(`\n[${failure.property}] ${KIND_LABEL[failure.kind]}: ${failure.signature} (${failure.cases} cases)\n`);
      process.stdout.write(`  what: ${failure.detail}\n`);
      if (failure.counterexample !== undefined) process.stdout.write(`  shrunk counterexample: ${failure.counterexample}\n`);
      process.stdout.write(`  replay: npx tsx test/fuzz/run.ts --only ${failure.property} --seed ${failure.seed} --cases ${total}${failure.path === undefined ? '' : ` (fast-check path ${failure.path})`}\n`);
    }
    process.stdout.write('\n');
  }
  const cases = reports.reduce((sum, report) => sum + report.cases, 0);
  process.stdout.write(`polling: ${totals.position} cases where the position passed an unread booking or reported one twice; ${totals.number} cases with a number out of range\n`);
  process.stdout.write(`time: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`fuzz: ${cases} cases, ${totals.unclassified} unclassified errors, ${totals.secret} secrets leaked, ${totals['foreign-host']} foreign hosts\n`);
  const bad = Object.values(totals).some((count) => count > 0);
  return bad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stdout.write(`fuzz: the runner failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
