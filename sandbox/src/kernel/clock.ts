/** Where a sandbox system gets time and identifiers from, so tests can make both deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Sequential identifiers per prefix (`next('FO')` -> 1, 2, ...); reset with the system state. */
export class Sequences {
  private readonly counters = new Map<string, number>();

  next(name: string): number {
    const value = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, value);
    return value;
  }

  reset(): void {
    this.counters.clear();
  }

  /** The counters, for a state file; `restore` takes them back. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  restore(counters: Record<string, number>): void {
    this.counters.clear();
    for (const [name, value] of Object.entries(counters)) {
      if (Number.isInteger(value) && value > 0) this.counters.set(name, value);
    }
  }
}

/** `pad(7, 6)` -> `000007`. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
