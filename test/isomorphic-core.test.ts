import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../nodes/src/index.ts', import.meta.url));

describe('the isomorphic core', () => {
  it('bundles for the browser with no Node built-in in it', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const builtins = new Set(builtinModules);
    expect(inputs.filter((i) => i.startsWith('node:') || builtins.has(i))).toEqual([]);
    expect(inputs.some((i) => i.includes('executors'))).toBe(false);
    expect(inputs.some((i) => i.endsWith('/execute.ts'))).toBe(false);
  });
});
