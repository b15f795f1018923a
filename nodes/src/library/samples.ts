/**
 * Node-only: the sample of each node type, read from `samples/*.json` in its folder. A sample
 * is the node's palette and reference example, and a contract-test fixture.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeResult, SplitFrame } from '../sdk/executor-types';
import { isJsonObject, type JsonObject, type JsonValue } from '../sdk/json';
import { NODE_CATEGORIES } from '../sdk/manifest';

/** One example run of a node: config and input in, the result (or error) out. */
export interface NodeSample {
  type: string;
  /** File name without `.json`. */
  name: string;
  file: string;
  description: string;
  config: JsonObject;
  input: JsonValue;
  /** Input port; `in` when absent. */
  port: string;
  /** Split frames the input carries (for nodes inside a split). */
  splits: SplitFrame[];
  /** The connection's system, when the node calls one (the test supplies a local server). */
  connection?: { system: string; kind?: string };
  /** What the fake SFTP server and databases hold for a transport sample. */
  transport?: { files?: Record<string, string>; rows?: JsonObject[] };
  expected: NodeResult | { error: { name: string; code: string; message?: string } };
}

/** The library folder, beside this file. */
export function libraryDir(): string {
  return path.dirname(fileURLToPath(import.meta.url));
}

function parseSample(type: string, name: string, file: string, raw: unknown): NodeSample {
  if (!isJsonObject(raw) || !isJsonObject(raw.config) || !isJsonObject(raw.expected)) {
    throw new Error(`${file}: a sample needs "config" and "expected" objects.`);
  }
  return {
    type,
    name,
    file,
    description: typeof raw.description === 'string' ? raw.description : '',
    config: raw.config,
    input: raw.input ?? null,
    port: typeof raw.port === 'string' ? raw.port : 'in',
    splits: Array.isArray(raw.splits) ? (raw.splits as unknown as SplitFrame[]) : [],
    ...(isJsonObject(raw.connection) && typeof raw.connection.system === 'string'
      ? {
          connection: {
            system: raw.connection.system,
            ...(typeof raw.connection.kind === 'string' ? { kind: raw.connection.kind } : {}),
          },
        }
      : {}),
    ...(isJsonObject(raw.transport)
      ? { transport: raw.transport as unknown as NonNullable<NodeSample['transport']> }
      : {}),
    expected: raw.expected as unknown as NodeSample['expected'],
  };
}

/**
 * Folders that hold a `samples` folder, below a category folder. A node folder nested in a
 * group (`connector/edi/parse`) names the type with a dash (`connector.edi-parse`).
 */
async function nodeFolders(dir: string, trail: string[], out: { dir: string; trail: string[] }[]) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'samples') continue;
    const child = path.join(dir, entry.name);
    const next = [...trail, entry.name];
    const hasSamples = (await readdir(child)).includes('samples');
    if (hasSamples) out.push({ dir: child, trail: next });
    await nodeFolders(child, next, out);
  }
}

/** Every sample of the library, sorted by type and name. */
export async function loadSamples(dir = libraryDir()): Promise<NodeSample[]> {
  const out: NodeSample[] = [];
  // A category's folder is named as its id.
  for (const category of NODE_CATEGORIES) {
    const folders: { dir: string; trail: string[] }[] = [];
    await nodeFolders(path.join(dir, category), [], folders);
    for (const folder of folders) {
      const samplesDir = path.join(folder.dir, 'samples');
      const files = (await readdir(samplesDir)).filter((f) => f.endsWith('.json')).sort();
      for (const fileName of files) {
        const file = path.join(samplesDir, fileName);
        const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
        const type = `${category}.${folder.trail.join('-')}`;
        out.push(parseSample(type, fileName.slice(0, -5), file, raw));
      }
    }
  }
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
