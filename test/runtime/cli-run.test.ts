import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatFlow } from '@crossdock/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossdockBin } from '../crossdock-bin';
import {
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  startTestServer,
  type TestServer,
} from './helpers';

let server: TestServer;
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  server.handler = (req, res) => {
    res.statusCode = req.url === '/reject' ? 422 : 200;
    res.setHeader('content-type', 'application/json');
    res.end('{"accepted":true}');
  };
  flows = flowsDirFor(server.url);
  const ok = flowDoc(
    'cli-ok',
    [node('t', 'trigger.manual'), httpNode('send', '/accept')],
    [edge('t', 'send')],
  );
  const bad = flowDoc(
    'cli-bad',
    [node('t', 'trigger.manual'), httpNode('send', '/reject')],
    [edge('t', 'send')],
  );
  writeFileSync(path.join(flows.dir, 'cli-ok.flow.json'), formatFlow(ok));
  writeFileSync(path.join(flows.dir, 'cli-bad.flow.json'), formatFlow(bad));
  writeFileSync(path.join(flows.dir, 'input.json'), '{"order":"C-1"}');
});

afterAll(async () => {
  await server.close();
  flows.remove();
});

function crossdockRun(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [crossdockBin, 'run', file, '--input', 'input.json', '--json'],
      {
        cwd: flows.dir,
        env: {
          ...process.env,
          INIT_CWD: flows.dir,
          CROSSDOCK_FLOWS_DIR: flows.dir,
          TEST_API_TOKEN: 'cli-token-123',
          LOG_LEVEL: 'silent',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('crossdock run', () => {
  it('prints the run as the API returns it and exits 0 when it succeeded, 1 when it failed', async () => {
    const [ok, bad] = await Promise.all([
      crossdockRun('cli-ok.flow.json'),
      crossdockRun('cli-bad.flow.json'),
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      flowId: 'cli-ok',
      status: 'succeeded',
      trigger: { order: 'C-1' },
      steps: [
        { nodeId: 't' },
        { nodeId: 'send', output: [{ port: 'out', payload: { accepted: true } }] },
      ],
    });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ status: 'failed', failure: { nodeId: 'send' } });
    expect(server.calls.get('/accept')).toBe(1);
  }, 60_000);
});
