import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { designerBuildReason, repositoryRoot } from './designer-build';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(): { dist: string; src: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'designer-build-'));
  dirs.push(root);
  const dist = path.join(root, 'dist');
  const src = path.join(root, 'src', 'features');
  mkdirSync(dist);
  mkdirSync(src, { recursive: true });
  return { dist, src: path.join(root, 'src') };
}

function touch(file: string, seconds: number): void {
  writeFileSync(file, 'x');
  utimesSync(file, seconds, seconds);
}

describe('designerBuildReason', () => {
  it('asks for a build when dist is missing', () => {
    const { dist, src } = tree();
    expect(designerBuildReason(dist, [src])).toBe('designer/dist is missing');
  });

  it('asks for a build when a source (even a nested one) is newer than the build', () => {
    const { dist, src } = tree();
    touch(path.join(dist, 'index.html'), 1_000);
    touch(path.join(src, 'features', 'canvas.tsx'), 2_000);
    expect(designerBuildReason(dist, [src])).toBe('its sources are newer than designer/dist');
  });

  it('serves the build as is when it is newer than every source', () => {
    const { dist, src } = tree();
    touch(path.join(src, 'features', 'canvas.tsx'), 1_000);
    touch(path.join(dist, 'index.html'), 2_000);
    expect(designerBuildReason(dist, [src, path.join(src, 'missing.ts')])).toBeUndefined();
  });
});

describe('repositoryRoot', () => {
  it('finds the checkout from a folder inside it', () => {
    const root = repositoryRoot(path.dirname(new URL(import.meta.url).pathname));
    expect(path.basename(path.join(root, 'runtime'))).toBe('runtime');
    expect(root).toBe(path.resolve(new URL('../../..', import.meta.url).pathname));
  });
});
