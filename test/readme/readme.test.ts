import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis } from '../runtime/helpers';
import {
  blockWith,
  freePorts,
  readReadme,
  runShell,
  type Shell,
  shellBlocks,
  startShell,
  until,
} from './readme';

/**
 * README.md's paths, run as written: the Quick start's start command, the curl walk-through, a
 * restart and the walk-through again, then the Promote walk-through. The commands come from
 * README.md itself, so this fails when the README and the product drift apart. What the test
 * changes, and why: ports (free ones instead of 8080/8081/4101-4104, which a developer's own
 * `pnpm start` may hold), the Redis prefixes and data folder (private), `pnpm crossdock`/`pnpm
 * start` become the command their package.json script runs (the commands run in a scratch copy
 * of flows/, where a flow file is edited and a test case saved), each README `sleep` waits as
 * written and then, on a loaded test machine, until nothing is in flight (no sandbox webhook
 * pending, no run queued, running or waiting to retry), at most twice as long again, and the
 * scratch copy of carrier-214-sftp lists its folder every 2 s instead of every 60 s (README's
 * "polled every 60 s" is checked against the repository's flow instead; waiting for a minute
 * boundary twice was a third of the test's time).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(root, 'runtime', 'bin', 'crossdock.js');
const readme = readReadme(path.join(root, 'README.md'));
const blocks = shellBlocks(readme);
const scripts = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

const tag = randomUUID().slice(0, 8);
const prefix = `{readme-${tag}}`;
const testPrefix = `{readme-test-${tag}}`;
let work = '';
let ports: {
  dev: number;
  test: number;
  erp: number;
  wms: number;
  tms: number;
  carrier: number;
  sftp: number;
};
// The samples beyond HTTP on places of their own: an ERP database and a RabbitMQ vhost.
const database = `crossdock_erp_readme_${tag}`;
const vhost = `cdtest-readme-${tag}`;
let env: NodeJS.ProcessEnv;
const running: Shell[] = [];

/** README text -> the same commands on this test's ports, prefixes and CLI. */
function localize(code: string): string {
  return code
    .replaceAll('pnpm crossdock ', `node ${bin} `)
    .replaceAll(/(localhost|127\.0\.0\.1):4101/g, `127.0.0.1:${ports.erp}`)
    .replaceAll(/(localhost|127\.0\.0\.1):4102/g, `127.0.0.1:${ports.wms}`)
    .replaceAll(/(localhost|127\.0\.0\.1):4103/g, `127.0.0.1:${ports.tms}`)
    .replaceAll(/(localhost|127\.0\.0\.1):4104/g, `127.0.0.1:${ports.carrier}`)
    .replaceAll(/(localhost|127\.0\.0\.1):8080/g, `127.0.0.1:${ports.dev}`)
    .replaceAll(/(localhost|127\.0\.0\.1):8081/g, `127.0.0.1:${ports.test}`)
    .replaceAll('PORT=8081', `PORT=${ports.test}`)
    .replaceAll('"port": 2222', `"port": ${ports.sftp}`)
    .replaceAll('"database": "crossdock_erp"', `"database": "${database}"`)
    .replaceAll('"vhost": "/"', `"vhost": "${vhost}"`)
    .replaceAll("'{crossdock-test}'", `'${testPrefix}'`);
}

/** The flow whose SFTP folder the scratch copy polls sooner, and how often it does. */
const sftpFlow = 'carrier-214-sftp';
const sftpPollMs = 2_000;

interface SftpFlow {
  nodes: Array<{ type: string; config: { intervalMs?: number } }>;
}

function sftpTrigger(flow: SftpFlow): SftpFlow['nodes'][number] {
  const trigger = flow.nodes.find((n) => n.type === 'trigger.sftp');
  if (!trigger) throw new Error(`${sftpFlow}: no trigger.sftp node`);
  return trigger;
}

/**
 * `node quiet.mjs <seconds>`: waits at most that long until nothing is in flight, twice in a row
 * 100 ms apart: no webhook delivery of a sandbox system pending, no run waiting, running or
 * delayed for a retry. Written into the scratch folder once the ports are known.
 */
function quietScript(): string {
  return `const deadline = Date.now() + Number(process.argv[2]) * 1000;
const headers = { authorization: 'Bearer crossdock-dev-admin' };
async function busy() {
  for (const port of ${JSON.stringify([ports.erp, ports.wms, ports.tms, ports.carrier])}) {
    const { sent } = await (await fetch(\`http://127.0.0.1:\${port}/_control/sent\`)).json();
    if (sent.some((d) => d.status === 'pending')) return true;
  }
  const res = await fetch('http://127.0.0.1:${ports.dev}/api/queues', { headers });
  const { queues } = await res.json();
  return queues.some((q) => ['waiting', 'active', 'delayed', 'prioritized'].some((k) => q.counts[k] > 0));
}
for (let quiet = 0; quiet < 2 && Date.now() < deadline; ) {
  quiet = (await busy().catch(() => true)) ? 0 : quiet + 1;
  await new Promise((r) => setTimeout(r, 100));
}
`;
}

/**
 * Bash prelude: stop at the first failing command; a README sleep waits as written, then until
 * nothing is in flight for at most twice as long again (a loaded test machine).
 */
const prelude = 'set -e\nsleep() { command sleep "$1"; node "$PWD/quiet.mjs" "$(( $1 * 2 ))"; }\n';

function startLongRunning(code: string): Shell {
  const shell = startShell(`${prelude}exec ${localize(code).trim()}`, work, env);
  running.push(shell);
  return shell;
}

async function api(port: number, p: string, key = 'crossdock-dev-admin'): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}${p}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (!response.ok) throw new Error(`${p}: ${response.status}`);
  return response.json();
}

async function ready(port: number): Promise<true | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return response.ok ? true : undefined;
}

/**
 * What README says `pnpm start` logs before the curl walk-through can begin. It comes after the
 * sample flows are deployed: the sandbox answers before that, and an ERP event sent then meets a
 * webhook that does not exist yet (404, not retried by the ERP).
 */
const startedLog = /once `pnpm start` has\s+logged `([^`]+)`/.exec(readme)?.[1];

/** `pnpm start` is ready for the walk-through once it logged so and the runtime and sandbox answer. */
async function landscapeReady(server: Shell): Promise<true | undefined> {
  if (startedLog === undefined || !server.output().includes(startedLog)) return undefined;
  if (!(await ready(ports.dev))) return undefined;
  const response = await fetch(`http://127.0.0.1:${ports.wms}/_control/state`);
  return response.ok ? true : undefined;
}

const orderFlows = [
  'erp-order-release',
  'wms-pick-confirmed',
  'wms-pack-confirmed',
  'wms-ship-confirmed',
];

/** Waits until each order-to-ship flow has a succeeded run for the order; returns the runs. */
async function orderRuns(order: string): Promise<Array<{ flowId: string; status: string }>> {
  return until(
    async () => {
      const { runs } = (await api(ports.dev, `/api/runs?key=${order}`)) as {
        runs: Array<{ flowId: string; status: string }>;
      };
      const done = orderFlows.every((f) =>
        runs.some((r) => r.flowId === f && r.status === 'succeeded'),
      );
      return done ? runs : undefined;
    },
    `the order-to-ship runs of ${order}`,
    60_000,
  );
}

/** The curl walk-through as README writes it; returns the order number it released. */
async function curlWalkThrough(): Promise<string> {
  const code = blockWith(blocks, 'The sandbox and the sample flows', 'release-order');
  // `<run id>`: the README leaves it to the reader; take the newest run of the order.
  const script = localize(code).replace(
    /^(curl .*)<run id>/m,
    `RUN_ID=$(curl -s -H 'authorization: Bearer crossdock-dev-admin' "127.0.0.1:${ports.dev}/api/runs?key=$order" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).runs[0].id')\n$1$RUN_ID`,
  );
  const result = await runShell(prelude + script, work, env);
  expect(result.code, result.output).toBe(0);
  const order = /^(\d{10})$/m.exec(result.output)?.[1];
  expect(order, result.output).toBeDefined();
  expect(result.output).toContain(`"id":"run_`);
  return order as string;
}

beforeAll(async () => {
  const [dev, test, erp, wms, tms, carrier, sftp] = await freePorts(7);
  execFileSync('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  ports = {
    dev: dev as number,
    test: test as number,
    erp: erp as number,
    wms: wms as number,
    tms: tms as number,
    carrier: carrier as number,
    sftp: sftp as number,
  };
  work = mkdtempSync(path.join(os.tmpdir(), 'crossdock-readme-'));
  cpSync(path.join(root, 'flows'), path.join(work, 'flows'), { recursive: true });
  rmSync(path.join(work, 'flows', 'tests'), { recursive: true, force: true });
  cpSync(path.join(root, 'sandbox', 'examples'), path.join(work, 'sandbox', 'examples'), {
    recursive: true,
  });
  const devFile = path.join(work, 'flows', 'environments', 'dev.json');
  writeFileSync(devFile, localize(readFileSync(devFile, 'utf8')));
  writeFileSync(path.join(work, 'quiet.mjs'), quietScript());
  const sftpFile = path.join(work, 'flows', `${sftpFlow}.flow.json`);
  const sftpDoc = JSON.parse(readFileSync(sftpFile, 'utf8')) as SftpFlow;
  sftpTrigger(sftpDoc).config.intervalMs = sftpPollMs;
  writeFileSync(sftpFile, `${JSON.stringify(sftpDoc, null, 2)}\n`);
  env = {
    ...process.env,
    INIT_CWD: work,
    PORT: String(ports.dev),
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_DATA_DIR: path.join(work, '.crossdock'),
    LOG_FORMAT: 'json',
    NODE_ENV: 'production',
  };
  for (const name of ['CROSSDOCK_ENV', 'CROSSDOCK_API_KEYS', 'REDIS_URL', 'CROSSDOCK_FLOWS_DIR']) {
    delete env[name];
  }
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await cleanRedis(prefix);
  await cleanRedis(testPrefix);
  if (work) rmSync(work, { recursive: true, force: true });
  execFileSync('rabbitmqctl', ['-q', 'delete_vhost', vhost]);
  const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}, 30_000);

/** Waits until the flow has `count` succeeded runs (README's runs-of-a-flow query). */
async function succeededRuns(flow: string, count: number, timeoutMs: number): Promise<void> {
  await until(
    async () => {
      const { runs } = (await api(ports.dev, `/api/runs?flow=${flow}&status=succeeded`)) as {
        runs: unknown[];
      };
      return runs.length >= count ? true : undefined;
    },
    `${count} succeeded run(s) of ${flow}`,
    timeoutMs,
  );
}

/**
 * The samples beyond HTTP as README writes them: an order staged in the ERP's PostgreSQL table
 * and sent by erp-staging-orders, a 214 the carrier drops on its SFTP server; returns the staged
 * order number.
 */
async function beyondHttp(): Promise<string> {
  const code = blockWith(blocks, 'The sandbox and the sample flows', 'staging/orders');
  const result = await runShell(prelude + localize(code), work, env);
  expect(result.code, result.output).toBe(0);
  const staged = /"order_number":"(\d+)"/.exec(result.output)?.[1];
  expect(staged, result.output).toBeDefined();
  // The list after the run: that order's row (up to the next row) says SENT.
  const row = new RegExp(
    `"order_number":"${staged}"((?!"order_number").)*"status":"([A-Z]+)"`,
    's',
  );
  const listed = result.output.slice(result.output.indexOf('{"orders"'));
  expect(row.exec(listed)?.[2], result.output).toBe('SENT');
  expect(result.output).toMatch(/"EventId":"CARRIER-EVT-\d+"/);
  return staged as string;
}

describe('README.md, as written', () => {
  it('says how often carrier-214-sftp lists its folder as the flow does', () => {
    const code = blockWith(blocks, 'The sandbox and the sample flows', 'staging/orders');
    const said = /the folder is polled every (\d+) s\b/.exec(code)?.[1];
    expect(said, code).toBeDefined();
    const flow = JSON.parse(
      readFileSync(path.join(root, 'flows', `${sftpFlow}.flow.json`), 'utf8'),
    ) as SftpFlow;
    expect(sftpTrigger(flow).config.intervalMs).toBe(Number(said) * 1000);
  });

  it('Quick start: pnpm start, the curl walk-through, a restart and the walk-through again', async () => {
    const quick = blockWith(blocks, 'Quick start', 'pnpm start');
    expect(quick).toMatch(/^pnpm install && pnpm start\b/m);
    expect(scripts.start).toBe('node runtime/bin/crossdock.js serve --bootstrap');
    const start = `node ${bin} serve --bootstrap`;

    let server = startLongRunning(start);
    expect(startedLog, 'README: the log line the walk-through waits for').toBeDefined();
    await until(() => landscapeReady(server), 'pnpm start to be ready', 60_000);
    const first = await curlWalkThrough();
    const firstRuns = await orderRuns(first);
    const firstStaged = await beyondHttp();
    await succeededRuns('wms-pick-complete-amqp', 1, 30_000);

    expect(await server.stop()).toBe(0);
    server = startLongRunning(start);
    await until(() => landscapeReady(server), 'pnpm start to be ready again', 60_000);
    const second = await curlWalkThrough();
    expect(second).not.toBe(first);
    expect(Number(second)).toBe(Number(first) + 1);
    const secondRuns = await orderRuns(second);
    const secondStaged = await beyondHttp();
    expect(Number(secondStaged)).toBe(Number(firstStaged) + 1);
    await succeededRuns('wms-pick-complete-amqp', 2, 30_000);
    // Both 214 files: the scratch copy lists the folder every 2 s (see the top of the file).
    await succeededRuns(sftpFlow, 2, 30_000);
    expect(secondRuns.filter((r) => r.flowId === 'erp-order-release')).toHaveLength(1);
    expect(firstRuns.filter((r) => r.flowId === 'erp-order-release')).toHaveLength(1);
    // README: stop `pnpm start` before the Promote walk-through.
    expect(await server.stop()).toBe(0);
  }, 420_000);

  it('Promote a flow: every step, in order', async () => {
    const section = 'Promote a flow';
    expect(readme).toContain('stop `pnpm start` first');
    startLongRunning(blockWith(blocks, section, '# terminal 1'));
    startLongRunning(blockWith(blocks, section, '# terminal 2'));
    startLongRunning(blockWith(blocks, section, '# terminal 3'));
    await until(() => ready(ports.dev), 'the dev runtime', 60_000);
    await until(() => ready(ports.test), 'the test runtime', 60_000);

    // 4. and 5.: `<runId>` is the run the POST above it started, waited for until the run itself
    // (not one of its steps) has succeeded, as a reader would before saving it.
    const steps = localize(blockWith(blocks, section, '# 4. publish to dev')).replace(
      /^(curl .*)<runId>/m,
      `RUN_ID=$(grep -o 'run_[0-9a-f-]*' "$OUT" | tail -1)
until command curl -s -H 'authorization: Bearer crossdock-dev-admin' 127.0.0.1:${ports.dev}/api/runs/$RUN_ID | node -e 'let s="";process.stdin.on("data",(d)=>{s+=d}).on("end",()=>process.exit(JSON.parse(s).status==="succeeded"?0:1))'; do command sleep 0.2; done
$1$RUN_ID`,
    );
    const stepScript = `${prelude}OUT=$(mktemp)\ncurl() { command curl "$@" | tee -a "$OUT"; echo; }\n${steps}`;
    const published = await runShell(stepScript, work, env);
    expect(published.code, published.output).toBe(0);
    expect(published.output).toContain('ok   erp-order-release/released-order');
    expect(published.output).toMatch(/dry run: erp-order-release@1\.0\.0 can be promoted to test/);
    expect(published.output).toMatch(/published: erp-order-release@1\.0\.0 in test/);

    // The change README describes: maxAttempts 6, refused without a version bump, then 1.1.0.
    const promoteLine = steps
      .split('\n')
      .find((l) => l.includes('--to test') && !l.includes('--dry-run'));
    expect(promoteLine).toBeDefined();
    const file = path.join(work, 'flows', 'erp-order-release.flow.json');
    const flow = JSON.parse(readFileSync(file, 'utf8')) as {
      version: string;
      settings: { retry: { maxAttempts: number } };
    };
    flow.settings.retry.maxAttempts = 6;
    writeFileSync(file, `${JSON.stringify(flow, null, 2)}\n`);
    const refused = await runShell(prelude + (promoteLine as string), work, env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      'Version 1.0.0 of "erp-order-release" is already deployed in "test" with different content; bump the version.',
    );
    flow.version = '1.1.0';
    writeFileSync(file, `${JSON.stringify(flow, null, 2)}\n`);
    const bumped = await runShell(prelude + (promoteLine as string), work, env);
    expect(bumped.code, bumped.output).toBe(0);
    expect(bumped.output).toContain('Default retry policy changed: retry.maxAttempts 10 → 6');

    // 6. compare and roll back.
    const compare = await runShell(
      prelude + localize(blockWith(blocks, section, '# 6. compare')),
      work,
      env,
    );
    expect(compare.code, compare.output).toBe(0);
    expect(compare.output).toContain('retry.maxAttempts 10 → 6');
    expect(compare.output).toMatch(/"version":"1\.0\.0"/);

    // The compare page's URL points at a runtime that has both versions.
    const compareUrl =
      /`(http:\/\/127\.0\.0\.1:\d+)\/#\/compare\/erp-order-release\/1\.0\.0\/1\.1\.0`/.exec(
        readme,
      )?.[1];
    expect(compareUrl).toBeDefined();
    const port = Number(new URL(localize(compareUrl as string)).port);
    for (const version of ['1.0.0', '1.1.0']) {
      await api(port, `/api/flows/erp-order-release/versions/${version}`, 'test-admin-alice');
    }

    // Promoting "to prod" into the test runtime is refused, in README's words.
    const quoted =
      /\(`(the runtime at http:\/\/127\.0\.0\.1:8081 runs the environment\s+"test", not "prod")`\)/.exec(
        readme,
      )?.[1];
    expect(quoted).toBeDefined();
    const prod = await runShell(
      `${prelude}node ${bin} promote erp-order-release --to prod --url http://127.0.0.1:${ports.test} --key test-admin-alice`,
      work,
      env,
    );
    expect(prod.code).toBe(1);
    expect(prod.output).toContain(localize((quoted as string).replace(/\s+/g, ' ')));
  }, 150_000);
});
