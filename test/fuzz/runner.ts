import fc from 'fast-check';
import { KIND_LABEL, type Finding, type FindingKind } from './findings';
import { redact, type ConnectionSecrets } from './secrets';

/** One property: an input generator and a check that lists what went wrong for one input. */
export interface FuzzProperty<T extends { secrets: ConnectionSecrets }> {
  name: string;
  /** What goes through what, for the progress line. */
  what: string;
  /** Relative share of the run's cases. */
  weight: number;
  arbitrary: fc.Arbitrary<T>;
  check(input: T): Promise<Finding[]>;
}

/** One failure class found by a property, with its shrunk counterexample. */
export interface FailureClass {
  property: string;
  kind: FindingKind;
  signature: string;
  cases: number;
  detail: string;
  counterexample?: string;
  seed: number;
  path?: string;
}

export interface PropertyReport {
  name: string;
  cases: number;
  /** Cases with at least one finding of each kind. */
  counts: Record<FindingKind, number>;
  failures: FailureClass[];
  ms: number;
}

const KINDS = Object.keys(KIND_LABEL) as FindingKind[];

export function emptyCounts(): Record<FindingKind, number> {
  return Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
}

/** A counterexample as JSON, the connection's secrets replaced by their names. */
export function showInput(input: { secrets: ConnectionSecrets }): string {
  const text = JSON.stringify(input, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
  const shown = redact(text, input.secrets);
  return shown.length > 1500 ? `${shown.slice(0, 1499)}…` : shown;
}

/**
 * Runs `numRuns` cases, counting every failing case (fast-check would stop at the first), then
 * shrinks each failure class separately from the same seed, so each is printed minimal and replayable.
 */
export async function runProperty<T extends { secrets: ConnectionSecrets }>(
  property: FuzzProperty<T>,
  options: { numRuns: number; seed: number; shrink?: boolean; shrinkMs?: number; maxClasses?: number },
): Promise<PropertyReport> {
  const started = Date.now();
  const counts = emptyCounts();
  const classes = new Map<string, FailureClass>();
  let cases = 0;
  await fc.check(
    fc.asyncProperty(property.arbitrary, async (input) => {
      cases += 1;
      const findings = await safeCheck(property, input);
      for (const kind of new Set(findings.map((finding) => finding.kind))) counts[kind] += 1;
      for (const finding of findings) {
        const key = `${finding.kind}|${finding.signature}`;
        const known = classes.get(key);
        if (known !== undefined) known.cases += 1;
        else classes.set(key, { property: property.name, kind: finding.kind, signature: finding.signature, cases: 1, detail: finding.detail, seed: options.seed });
      }
      return true;
    }),
    { numRuns: options.numRuns, seed: options.seed },
  );
  const failures = [...classes.values()].sort((a, b) => b.cases - a.cases);
  if (options.shrink !== false) {
    for (const failure of failures.slice(0, options.maxClasses ?? 20)) {
      const details = await fc.check(
        fc.asyncProperty(property.arbitrary, async (input) => !(await safeCheck(property, input)).some((f) => f.kind === failure.kind && f.signature === failure.signature)),
        { numRuns: options.numRuns, seed: options.seed, interruptAfterTimeLimit: options.shrinkMs ?? 2500, markInterruptAsFailure: false },
      );
      if (details.failed && details.counterexample !== null) {
        const [input] = details.counterexample;
        failure.counterexample = showInput(input);
        failure.path = details.counterexamplePath ?? undefined;
        const shrunk = (await safeCheck(property, input)).find((f) => f.kind === failure.kind && f.signature === failure.signature);
        if (shrunk !== undefined) failure.detail = shrunk.detail;
      }
    }
  }
  return { name: property.name, cases, counts, failures, ms: Date.now() - started };
}

/** A check that itself crashes is a harness bug: report it instead of losing the run. */
async function safeCheck<T extends { secrets: ConnectionSecrets }>(property: FuzzProperty<T>, input: T): Promise<Finding[]> {
  try {
    return await property.check(input);
  } catch (error) {
    return [{ kind: 'unclassified', signature: 'the fuzz check itself crashed', detail: redact(String(error instanceof Error ? error.stack : error), input.secrets) }];
  }
}
