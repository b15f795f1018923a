import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Diagnostic,
  formatFlow,
  formatJson,
  isJsonObject,
  loadFlow,
  validateFlow,
} from '@crossdock/nodes';
import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import type { Runtime } from '../../runtime';
import { requireRole } from '../auth';
import { ApiError } from '../errors';
import { flowIdParam } from '../params';

const SUFFIX = '.flow.json';

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The flow files in the flows folder, for the designer: read everywhere, written only in
 * development (elsewhere flows arrive through git and promotion).
 */
export function flowFilesRouter(runtime: Runtime): Router {
  const router = Router();
  const dir = runtime.config.flowsDir;
  const fileOf = (id: string) => path.join(dir, `${id}${SUFFIX}`);
  const load = (text: string, id: string) =>
    loadFlow(text, runtime.catalog, { environment: runtime.environment, expectedId: id });

  const writable = requireRole('analyst');
  function assertWritable(): void {
    if (!isDevelopment(runtime.config)) {
      throw new ApiError(
        403,
        'read-only-environment',
        `Flow files are read-only in "${runtime.config.envName}"; edit them in development and promote.`,
      );
    }
  }

  router.get('/flow-files', async (_req, res) => {
    let names: string[] = [];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX)).sort();
    } catch {
      names = [];
    }
    const files = [];
    for (const name of names) {
      const id = name.slice(0, -SUFFIX.length);
      const file = path.join(dir, name);
      const [text, info] = await Promise.all([readText(file), stat(file)]);
      const loaded = load(text ?? '', id);
      const value = isJsonObject(loaded.value) ? loaded.value : {};
      files.push({
        id,
        name: typeof value.name === 'string' ? value.name : id,
        version: typeof value.version === 'string' ? value.version : null,
        description: typeof value.description === 'string' ? value.description : null,
        updatedAt: info.mtime.toISOString(),
        valid: count(loaded.diagnostics, 'error') === 0,
        errors: count(loaded.diagnostics, 'error'),
        warnings: count(loaded.diagnostics, 'warning'),
      });
    }
    res.json({ files });
  });

  router.get('/flow-files/:id', async (req, res) => {
    const id = flowIdParam(req.params.id);
    const text = await readText(fileOf(id));
    if (text === undefined) throw new ApiError(404, 'not-found', `No flow file "${id}${SUFFIX}".`);
    const info = await stat(fileOf(id));
    const loaded = load(text, id);
    res.json({
      id,
      text,
      flow: loaded.value ?? null,
      diagnostics: loaded.diagnostics,
      updatedAt: info.mtime.toISOString(),
    });
  });

  router.put('/flow-files/:id', writable, async (req, res) => {
    const id = flowIdParam(req.params.id);
    assertWritable();
    const body: unknown = req.body;
    if (!isJsonObject(body) || !isJsonObject(body.flow)) {
      throw new ApiError(400, 'invalid-body', 'Send {"flow": <flow document>}.');
    }
    const diagnostics = validateFlow(body.flow, runtime.catalog, {
      environment: runtime.environment,
      expectedId: id,
    });
    const text = formatFlow(body.flow);
    const previousText = (await readText(fileOf(id))) ?? null;
    await writeFile(fileOf(id), text, 'utf8');
    res.json({ id, text, diagnostics, previousText });
  });

  router.delete('/flow-files/:id', writable, async (req, res) => {
    const id = flowIdParam(req.params.id);
    assertWritable();
    if ((await readText(fileOf(id))) === undefined)
      throw new ApiError(404, 'not-found', `No flow file "${id}${SUFFIX}".`);
    await rm(fileOf(id));
    res.status(204).end();
  });

  router.get('/flow-files/:id/samples', async (req, res) => {
    const id = flowIdParam(req.params.id);
    const folder = path.join(dir, 'samples', id);
    let names: string[] = [];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      names = [];
    }
    const samples = [];
    for (const name of names) {
      const text = await readText(path.join(folder, name));
      try {
        samples.push({
          name: name.slice(0, -'.json'.length),
          payload: JSON.parse(text ?? 'null') as unknown,
        });
      } catch {
        // A broken sample file is skipped; `crossdock validate` reports it.
      }
    }
    res.json({ samples });
  });

  /**
   * Pinned samples per node (`samples/<flow>/nodes/<node>.json`, `{input?, output?}`): what the
   * designer's source tree and previews read, and what a safe test run answers for a side-effecting
   * node instead of sending its request.
   */
  router.get('/flow-files/:id/pins', async (req, res) => {
    const id = flowIdParam(req.params.id);
    res.json({ pins: await readPins(dir, id) });
  });

  router.put('/flow-files/:id/pins/:nodeId', writable, async (req, res) => {
    const id = flowIdParam(req.params.id);
    const nodeId = nodeIdParam(req.params.nodeId);
    assertWritable();
    const body: unknown = req.body;
    if (!isJsonObject(body) || Object.keys(body).some((k) => k !== 'input' && k !== 'output')) {
      throw new ApiError(400, 'invalid-body', 'Send {"input"?: <message>, "output"?: <message>}.');
    }
    const folder = path.join(dir, 'samples', id, 'nodes');
    const file = path.join(folder, `${nodeId}.json`);
    if (body.input === undefined && body.output === undefined) {
      await rm(file, { force: true });
    } else {
      await mkdir(folder, { recursive: true });
      await writeFile(file, formatJson(body), 'utf8');
    }
    res.json({ nodeId, pin: body });
  });

  return router;
}

const NODE_ID = /^[A-Za-z0-9_-]{1,100}$/;

function nodeIdParam(value: unknown): string {
  if (typeof value !== 'string' || !NODE_ID.test(value)) {
    throw new ApiError(400, 'invalid-node-id', 'A node id is letters, digits, "-" and "_".');
  }
  return value;
}

/** Every pinned node sample of a flow; a file that does not parse is left out. */
export async function readPins(
  flowsDir: string,
  flowId: string,
): Promise<Record<string, { input?: unknown; output?: unknown }>> {
  const folder = path.join(flowsDir, 'samples', flowId, 'nodes');
  let names: string[] = [];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith('.json'));
  } catch {
    return {};
  }
  const pins: Record<string, { input?: unknown; output?: unknown }> = {};
  for (const name of names.sort()) {
    const nodeId = name.slice(0, -'.json'.length);
    if (!NODE_ID.test(nodeId)) continue;
    try {
      const value: unknown = JSON.parse((await readText(path.join(folder, name))) ?? 'null');
      if (isJsonObject(value)) {
        pins[nodeId] = {
          ...(value.input !== undefined ? { input: value.input } : {}),
          ...(value.output !== undefined ? { output: value.output } : {}),
        };
      }
    } catch {
      // A broken pin file is skipped; the designer shows the node as unpinned.
    }
  }
  return pins;
}
