import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  catalog,
  type Environment,
  formatFlow,
  formatJson,
  loadEnvironment,
  loadFlow,
} from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';

const flowsDir = fileURLToPath(new URL('../flows/', import.meta.url));
const flowFiles = readdirSync(flowsDir).filter((f) => f.endsWith('.flow.json'));
const envFiles = readdirSync(path.join(flowsDir, 'environments')).filter(
  (f) => f.endsWith('.json') && !f.endsWith('.schema.json'),
);

function env(name: string): Environment {
  const loaded = loadEnvironment(readFileSync(path.join(flowsDir, 'environments', name), 'utf8'));
  expect(loaded.diagnostics).toEqual([]);
  return loaded.environment as Environment;
}

describe('flows/', () => {
  it('has at least one flow and the dev environment', () => {
    expect(flowFiles.length).toBeGreaterThan(0);
    expect(envFiles).toContain('dev.json');
  });

  it.each(flowFiles)('%s validates against every environment and is in canonical form', (file) => {
    const text = readFileSync(path.join(flowsDir, file), 'utf8');
    for (const e of envFiles) {
      const loaded = loadFlow(text, catalog, {
        environment: env(e),
        expectedId: file.replace('.flow.json', ''),
      });
      // The samples take the sandbox's unsigned events, so an idempotency key on them carries the
      // documented pre-poisoning warning (docs/security.md); nothing else may be reported.
      const others = loaded.diagnostics.filter((d) => d.code !== 'webhook.unsigned-idempotency');
      expect(others, `${file} in ${e}`).toEqual([]);
    }
    expect(formatFlow(JSON.parse(text))).toBe(text);
  });

  it.each(flowFiles)('%s has sample payloads', (file) => {
    const id = file.replace('.flow.json', '');
    const samples = readdirSync(path.join(flowsDir, 'samples', id)).filter((f) =>
      f.endsWith('.json'),
    );
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples)
      JSON.parse(readFileSync(path.join(flowsDir, 'samples', id, s), 'utf8'));
  });

  it.each(envFiles)('environments/%s is in canonical form', (file) => {
    const text = readFileSync(path.join(flowsDir, 'environments', file), 'utf8');
    expect(formatJson(JSON.parse(text))).toBe(text);
  });
});
