import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main';

afterEach(() => {
  vi.restoreAllMocks();
});

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const code = await main(args);
  return { code, out: out.join('') };
}

describe('--check commands say "ok" when they pass', () => {
  it('schema --check', async () => {
    expect(await run(['schema', '--check'])).toEqual({
      code: 0,
      out: 'ok   flows/flow.schema.json, flows/process.schema.json, flows/reconciliation.schema.json, flows/environments/environment.schema.json, flows/partners/partner.schema.json, docs/openapi.json up to date\n',
    });
  });

  it('docs --check', async () => {
    expect(await run(['docs', '--check'])).toEqual({
      code: 0,
      out: 'ok   docs/nodes.md up to date\n',
    });
  });
});
