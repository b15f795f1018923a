import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SystemName, SystemSnapshot } from './service';

/** The sandbox's durable part, one JSON file: what each system holds and its id counters. */
export interface SandboxSnapshot {
  version: 1;
  savedAt: string;
  systems: Partial<Record<SystemName, SystemSnapshot<unknown>>>;
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSystem(value: unknown, file: string, system: string): SystemSnapshot<unknown> {
  if (
    !isRecord(value) ||
    !isRecord(value.state) ||
    !isRecord(value.sequences) ||
    typeof value.events !== 'number'
  ) {
    throw new StateFileError(
      `${file}: the saved state of "${system}" is not {state, sequences, events}. Delete the file (or run \`crossdock reset --dev\`) to start the sandbox empty.`,
    );
  }
  const sequences: Record<string, number> = {};
  for (const [name, count] of Object.entries(value.sequences)) {
    if (typeof count === 'number') sequences[name] = count;
  }
  return { state: value.state, sequences, events: value.events };
}

/** Reads a state file; `undefined` when there is none yet, a `StateFileError` when unreadable. */
export async function readStateFile(file: string): Promise<SandboxSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StateFileError(
      `${file} is not valid JSON. Delete it (or run \`crossdock reset --dev\`) to start the sandbox empty.`,
    );
  }
  if (!isRecord(parsed) || parsed.version !== 1 || !isRecord(parsed.systems)) {
    throw new StateFileError(
      `${file} is not a sandbox state file (version 1). Delete it (or run \`crossdock reset --dev\`) to start the sandbox empty.`,
    );
  }
  const systems: SandboxSnapshot['systems'] = {};
  for (const [name, value] of Object.entries(parsed.systems)) {
    if (name === 'erp' || name === 'wms' || name === 'tms' || name === 'carrier') {
      systems[name] = parseSystem(value, file, name);
    }
  }
  return { version: 1, savedAt: String(parsed.savedAt ?? ''), systems };
}

/**
 * Writes the state file after changes, at most one write at a time and coalescing bursts (a floor
 * simulation touches several records); each write goes to a temporary file renamed over the old
 * one, so a crash never leaves half a file.
 */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly take: () => SandboxSnapshot,
    private readonly delayMs = 100,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Schedules a write. */
  changed(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now (after any write in progress). */
  flush(): Promise<void> {
    const text = `${JSON.stringify(this.take())}\n`;
    this.writing = this.writing.then(() => this.write(text)).catch(this.onError);
    return this.writing;
  }

  /** Writes once more and stops scheduling. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.stopped) await this.flush();
    this.stopped = true;
  }

  private async write(text: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, text);
    await rename(temp, this.file);
  }
}

/** Removes a state file; true when there was one. */
export async function removeStateFile(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
