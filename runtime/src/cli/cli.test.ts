import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram, main as runCli } from './main';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The command as `pnpm crossdock` runs it: bin/crossdock.js and the bundle it starts, which the
 * tests' global setup (test/builds.setup.ts) built from these sources. Through `tsx/cli`
 * every call started two processes and compiled the CLI again (1-2 s a call, 16 calls).
 */
const bin = path.join(root, 'runtime', 'bin', 'crossdock.js');
const sampleFile = path.join(root, 'flows', 'erp-order-release.flow.json');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function crossdock(args: string[], cwd = root): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, INIT_CWD: cwd } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

type Flow = {
  id: string;
  nodes: { id: string; type: string; config: Record<string, unknown> }[];
  edges: Record<string, string>[];
};

let dir: string;
let sample: Flow;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'crossdock-cli-'));
  sample = JSON.parse(await readFile(sampleFile, 'utf8')) as Flow;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function broken(id: string, change: (f: Flow) => void): Promise<string> {
  const flow = structuredClone(sample);
  flow.id = id;
  change(flow);
  const file = path.join(dir, `${id}.flow.json`);
  await writeFile(file, JSON.stringify(flow, null, 2));
  return file;
}

const node = (f: Flow, id: string) => f.nodes.find((n) => n.id === id) as Flow['nodes'][number];

describe('crossdock validate', () => {
  it('passes the flows folder', async () => {
    const r = await crossdock(['validate', 'flows/', '--env', 'dev']);
    expect(r.stderr).toContain('0 error(s)');
    expect(r.code).toBe(0);
  });

  const cases: [string, (f: Flow) => void, RegExp][] = [
    [
      'edge-to-missing-node',
      (f) => {
        (f.edges[0] as Record<string, string>).target = 'n-ghost';
      },
      /edge\.missing-node .*\(edge e-trigger-releasable, \$\.edges\[0\]\.target\)/,
    ],
    [
      'unknown-type',
      (f) => {
        node(f, 'n-releasable').type = 'rule.brnch';
      },
      /node\.unknown-type .*\(node n-releasable, \$\.nodes\[1\]\.type\)/,
    ],
    [
      'unknown-operation',
      (f) => {
        node(f, 'n-releasable').config.condition = { regex: ['a', 'b'] };
      },
      /expression\.unknown-operation .*\(node n-releasable, \$\.nodes\[1\]\.config\.condition\.regex\)/,
    ],
    [
      'config-breaks-schema',
      (f) => {
        node(f, 'n-create-fo').config.method = 'FETCH';
      },
      /node\.config-invalid .*\(node n-create-fo, \$\.nodes\[3\]\.config\.method\)/,
    ],
    [
      'two-triggers',
      (f) => {
        f.nodes.push({ ...structuredClone(node(f, 'n-trigger')), id: 'n-trigger-2' });
      },
      /trigger\.multiple .*\(node n-trigger-2, \$\.nodes\[6\]\)/,
    ],
    [
      'cycle',
      (f) => {
        f.edges.push({
          id: 'e-back',
          source: 'n-create-fo',
          sourcePort: 'out',
          target: 'n-releasable',
          targetPort: 'in',
        });
      },
      /graph\.cycle .*\(node n-releasable, edge e-back, \$\.edges\[5\]\)/,
    ],
  ];

  it.each(cases)(
    '%s: exits 1 naming the node or edge and the JSON path',
    async (id, change, expected) => {
      const r = await crossdock(['validate', await broken(id, change)]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(expected);
      expect(r.stdout).toMatch(/^.+\.flow\.json:\d+:\d+ {2}error {2}/m);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
    },
  );

  it('reports truncated JSON with line and column', async () => {
    const file = path.join(dir, 'truncated.flow.json');
    await writeFile(file, (await readFile(sampleFile, 'utf8')).slice(0, 500));
    const r = await crossdock(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /truncated\.flow\.json:\d+:\d+ {2}error {2}json\.syntax .*line \d+, column \d+/,
    );
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('prints JSON with --json', async () => {
    const r = await crossdock([
      'validate',
      await broken('json-out', (f) => {
        node(f, 'n-releasable').type = 'x.y';
      }),
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      files: { diagnostics: { code: string }[] }[];
    };
    expect(out.ok).toBe(false);
    expect(out.files[0]?.diagnostics[0]?.code).toBe('node.unknown-type');
  });

  it('names a connection the environment lacks', async () => {
    const r = await crossdock([
      'validate',
      await broken('no-conn', (f) => {
        node(f, 'n-create-fo').config.connection = 'wms-eu';
      }),
      '--env',
      'dev',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/connection\.missing .*"wms-eu"/);
  });

  it('exits 2 on bad usage', async () => {
    expect((await crossdock(['validate'])).code).toBe(2);
    expect((await crossdock(['validate', 'no/such/dir'])).code).toBe(2);
    expect((await crossdock(['validate', 'flows', '--env', 'nowhere'])).code).toBe(2);
    expect((await crossdock(['frobnicate'])).code).toBe(2);
  });

  it('has --help on every command', async () => {
    // In process: the command table is the one the binary uses, and every command is covered.
    const commands = buildProgram(() => {}).commands.flatMap((c) =>
      c.commands.length > 0 ? c.commands.map((sub) => [c.name(), sub.name()]) : [[c.name()]],
    );
    expect(commands.length).toBeGreaterThan(10);
    for (const words of commands) {
      let out = '';
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out += String(chunk);
        return true;
      });
      try {
        expect(await runCli([...words, '--help'])).toBe(0);
      } finally {
        write.mockRestore();
      }
      expect(out).toContain(`Usage: crossdock ${words.join(' ')}`);
    }
    // And once through the binary, as a user runs it.
    const r = await crossdock(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: crossdock validate');
  });
});

describe('crossdock fmt', () => {
  it('--check passes the flows folder', async () => {
    expect((await crossdock(['fmt', '--check', 'flows/'])).code).toBe(0);
  });

  it('--check fails after a key is reordered, and fmt repairs it', async () => {
    const text = await readFile(sampleFile, 'utf8');
    const file = path.join(dir, 'erp-order-release.flow.json');
    const doc = JSON.parse(text) as Record<string, unknown>;
    const { id, ...rest } = doc;
    await writeFile(file, `${JSON.stringify({ ...rest, id }, null, 2)}\n`);
    const check = await crossdock(['fmt', '--check', file]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('not formatted');
    expect((await crossdock(['fmt', file])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('crossdock nodes', () => {
  it('lists every node type with category and ports as JSON', async () => {
    const r = await crossdock(['nodes', '--json']);
    expect(r.code).toBe(0);
    const nodes = JSON.parse(r.stdout) as { type: string; category: string; outputs: string[] }[];
    expect(nodes).toContainEqual(
      expect.objectContaining({
        type: 'rule.branch',
        category: 'rule',
        outputs: ['true', 'false', 'error'],
      }),
    );
    expect(nodes.find((n) => n.type === 'rule.switch')).toMatchObject({
      dynamicOutputs: { from: 'cases', key: 'port' },
    });
  });

  it('prints one line per node type', async () => {
    const r = await crossdock(['nodes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^connector\.http\s+connector\s+in: in\s+out: out, error$/m);
  });
});

describe('crossdock diff', () => {
  it("prints rule and mapping changes in the analyst's terms", async () => {
    const changed = await broken('erp-order-release', (f) => {
      node(f, 'n-releasable').config.condition = { '==': [{ var: 'order.status' }, 'APPROVED'] };
      const fields = node(f, 'n-to-fulfillment').config.fields as {
        target: string;
        expression: unknown;
      }[];
      (fields.find((x) => x.target === 'priority') as { expression: unknown }).expression =
        'NORMAL';
    });
    const r = await crossdock(['diff', sampleFile, changed]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '"Order complete?": condition changed from (order.status = "RELEASED") and order.lines is set and order.shipTo.countryCode is set to order.status = "APPROVED"',
    );
    expect(r.stdout).toContain(
      '"To fulfillment order": fields[target=priority].expression changed from if (order.serviceLevel = "EXPRESS") then "HIGH" else "NORMAL" to "NORMAL"',
    );
  });
});
