/** One armed fault: what it does, how many more times, how often it fired. */
export interface ArmedFault<Spec> {
  readonly id: number;
  readonly spec: Readonly<Spec>;
  /** Matches it will still affect. */
  readonly remaining: number;
  /** How many matches it has affected. */
  readonly hits: number;
  remove(): void;
}

interface Entry<Spec> {
  id: number;
  spec: Spec;
  remaining: number;
  hits: number;
}

/**
 * The bookkeeping every kind of fault shares (request faults, delivery faults): arm a spec for a
 * number of matches, list and clear them, and consume the oldest one a match accepts.
 */
export class FaultBook<Spec extends { times?: number }> {
  private readonly entries: Array<Entry<Spec>> = [];
  private nextId = 1;

  constructor(private readonly label: string) {}

  arm(spec: Spec): ArmedFault<Spec> {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error(`${this.label}.inject: times must be > 0`);
    const entry: Entry<Spec> = { id: this.nextId, spec: { ...spec }, remaining: times, hits: 0 };
    this.nextId += 1;
    this.entries.push(entry);
    const entries = this.entries;
    return {
      id: entry.id,
      spec: entry.spec,
      get remaining() { return entry.remaining; },
      get hits() { return entry.hits; },
      remove() {
        const index = entries.indexOf(entry);
        if (index >= 0) entries.splice(index, 1);
      },
    };
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Faults still armed. */
  list(): Array<{ id: number; spec: Spec; remaining: number; hits: number }> {
    return this.entries.map((e) => ({ id: e.id, spec: { ...e.spec }, remaining: e.remaining, hits: e.hits }));
  }

  /** The oldest armed spec `accepts` takes, consumed once; undefined when none does. */
  take(accepts: (spec: Spec) => boolean): Spec | undefined {
    const entry = this.entries.find((e) => accepts(e.spec));
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    entry.hits += 1;
    if (entry.remaining <= 0) this.entries.splice(this.entries.indexOf(entry), 1);
    return entry.spec;
  }
}
