import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The sample X12 files in flows/samples/edi (also used by the CLI tests and the sandbox). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../flows/samples/edi/', import.meta.url));

export function sample(name: string): string {
  return readFileSync(`${SAMPLES_DIR}${name}`, 'utf8');
}

export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.x12') && !f.startsWith('broken'));
}
