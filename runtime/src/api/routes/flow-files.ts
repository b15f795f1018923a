import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Diagnostic,
  formatFlow,
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

  return router;
}
