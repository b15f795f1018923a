import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ediAckCommand } from './commands/edi';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The command as `pnpm crossdock` runs it: bin/crossdock.js and the bundle it starts, which the
 * tests' global setup (test/builds.setup.ts) built from these sources. Through `tsx/cli`
 * every call started two processes and compiled the CLI again.
 */
const bin = path.join(root, 'runtime', 'bin', 'crossdock.js');
const samples = 'flows/samples/edi';
const fixtures = 'nodes/src/edi/fixtures';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function crossdock(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, INIT_CWD: root } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('crossdock edi parse', () => {
  it('prints the canonical objects of a sample', async () => {
    const r = await crossdock(['edi', 'parse', `${samples}/850-purchase-order.x12`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# 850 0001 (group 4711) -> SalesOrder');
    expect(r.stdout).toContain('"orderNumber": "PO-4500012345"');
    expect(r.stderr).toContain('850-purchase-order.x12: 1 document(s), 0 error(s), 0 warning(s)');
  });

  it('prints JSON with --json', async () => {
    const r = await crossdock([
      'edi',
      'parse',
      `${samples}/214-status-and-210-invoice.x12`,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; documents: { set: string; type: string }[] };
    expect(out.ok).toBe(true);
    expect(out.documents.map((d) => `${d.set}:${d.type}`)).toEqual([
      '214:CarrierMilestone',
      '214:CarrierMilestone',
      '210:FreightInvoice',
    ]);
  });

  it('prints the diagnostics of a broken envelope and exits 1', async () => {
    const r = await crossdock(['edi', 'parse', `${samples}/broken-850-se-count.x12`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'broken-850-se-count.x12: error SE01 says 27 segments, found 28 (segment 30, SE).',
    );
    const json = await crossdock(['edi', 'parse', `${samples}/broken-850-se-count.x12`, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: [{ element: 'SE01' }] });
  });

  // One process per test: each spawn takes seconds on a busy machine.
  it('prints errors and warnings apart: exit 0 with warnings only', async () => {
    const r = await crossdock(['edi', 'parse', `${fixtures}/850-n4-no-country.x12`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"orderNumber": "PO-7781001"');
    expect(r.stderr).toContain('850-n4-no-country.x12: warnings\n');
    expect(r.stderr).not.toContain(': errors\n');
    expect(r.stderr).toContain('1 document(s), 0 error(s), 1 warning(s)');
  });

  it('turns warnings into errors with --strict (exit 1)', async () => {
    const strict = await crossdock([
      'edi',
      'parse',
      '--strict',
      `${fixtures}/850-n4-no-country.x12`,
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('850-n4-no-country.x12: errors\n');
  });

  it('separates errors and warnings in --json', async () => {
    const json = await crossdock(['edi', 'parse', '--json', `${fixtures}/850-n4-no-country.x12`]);
    const parsed = JSON.parse(json.stdout) as { errors: unknown[]; warnings: { code: string }[] };
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.map((w) => w.code)).toEqual(['default-applied']);
  });

  it('exits 1 with an error and still prints the sets that were read', async () => {
    const r = await crossdock([
      'edi',
      'parse',
      `${fixtures}/850-missing-order-number-beside-good-set.x12`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"orderNumber": "PO-7781002"');
    expect(r.stderr).toMatch(/errors\n.*error BEG03 \(purchase order number\) is missing/s);
  });

  it('exits 2 on bad usage', async () => {
    expect((await crossdock(['edi', 'parse'])).code).toBe(2);
    expect((await crossdock(['edi', 'parse', 'no/such.x12'])).code).toBe(2);
    expect((await crossdock(['edi', 'ack'])).code).toBe(2);
    expect((await crossdock(['edi', 'frobnicate', 'x'])).code).toBe(2);
  });
});

describe('crossdock edi ack', () => {
  it('prints an accepting 997 with sender and receiver swapped', async () => {
    const r = await crossdock(['edi', 'ack', `${samples}/850-purchase-order.x12`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ISA\*00\*.*\*ZZ\*CROSSDOCKDAL {3}\*01\*078742090 {6}\*/);
    expect(r.stdout).toContain('AK1*PO*4711~\r\nAK2*850*0001~\r\nAK5*A~\r\nAK9*A*1*1*1~\r\n');
    const again = await crossdock(['edi', 'ack', `${samples}/850-purchase-order.x12`]);
    expect(again.stdout.slice(90, 99)).toBe(r.stdout.slice(90, 99));
  });

  it('prints a rejecting 997 for a broken file and exits 1', async () => {
    const r = await crossdock(['edi', 'ack', `${samples}/broken-850-se-count.x12`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('AK2*850*0001~\r\nAK5*R*4~\r\nAK9*R*1*1*0~');
    expect(r.stderr).toContain('SE01 says 27 segments');
  });

  it('adds a TA1 with --ta1 and answers a file with a prototype-named time code', async () => {
    const r = await crossdock(['edi', 'ack', '--ta1', `${fixtures}/214-constructor-time-code.x12`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TA1*000001001*261201*0830*A*000~');
    expect(r.stdout).toContain('AK5*A~');
  });

  it('answers every fixture of the corpus without failing', async () => {
    const files = readdirSync(path.join(root, fixtures)).filter((f) => f.endsWith('.x12'));
    expect(files.length).toBeGreaterThanOrEqual(60);
    const out: string[] = [];
    const write = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const file of files) {
        out.length = 0;
        const code = await ediAckCommand(path.join(root, fixtures, file), { ta1: true });
        expect([0, 1], file).toContain(code);
        expect(out.join(''), file).toMatch(/^ISA/);
      }
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
    }
  });

  it('has --help', async () => {
    const r = await crossdock(['edi', 'ack', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: crossdock edi ack');
  });
});
