import {
  forbiddenAddressReason,
  startTestServer,
  type TestServer,
} from '@crossdock/runtime/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFlow, type EngineStack, startEngineStack } from './engine-harness';

/**
 * Issue 11 item 9: connections refuse loopback, private, link-local and metadata addresses in
 * every spelling, checked on the address the socket connects to (after DNS), unless the
 * connection says `allowPrivateNetwork: true`.
 */

/** The spellings an attacker uses for one IPv4 address. */
function spellings(a: number, b: number, c: number, d: number): string[] {
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const oct = (x: number) => `0${x.toString(8)}`;
  const hex = (x: number) => `0x${x.toString(16)}`;
  return [
    `${a}.${b}.${c}.${d}`,
    String(n),
    `0x${n.toString(16)}`,
    `${oct(a)}.${oct(b)}.${oct(c)}.${oct(d)}`,
    `${hex(a)}.${hex(b)}.${hex(c)}.${hex(d)}`,
    `${a}.${(b << 16) + (c << 8) + d}`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${((a << 8) + b).toString(16)}:${((c << 8) + d).toString(16)}]`,
  ];
}

/** The host a URL parser makes of a spelling: what the HTTP client connects to. */
function hostOf(spelling: string): string {
  return new URL(`http://${spelling}:8080/`).hostname;
}

const octet = fc.integer({ min: 0, max: 255 });
const privateV4 = fc.oneof(
  fc.tuple(fc.constant(127), octet, octet, octet),
  fc.tuple(fc.constant(10), octet, octet, octet),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
  fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
  fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
  fc.tuple(fc.constant(0), octet, octet, octet),
);

describe('security: SSRF address policy', () => {
  it('refuses every spelling of loopback, private, link-local and CGNAT IPv4 addresses', () => {
    fc.assert(
      fc.property(privateV4, ([a, b, c, d]) => {
        for (const spelling of spellings(a, b, c, d)) {
          expect(forbiddenAddressReason(hostOf(spelling)), spelling).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses the IPv6 forms: loopback, unique-local, link-local, NAT64, 6to4, Teredo, metadata', () => {
    for (const host of [
      '[::1]',
      '[::]',
      '[fd00:ec2::254]',
      '[fe80::1]',
      '[64:ff9b::7f00:1]',
      '[2002:7f00:1::]',
      '[2001:0:4136:e378:8000:63bf:3fff:fdd2]',
      '[::ffff:169.254.169.254]',
      '[ff02::1]',
    ]) {
      expect(forbiddenAddressReason(hostOf(host)), host).toBeDefined();
    }
  });

  it('lets public unicast through', () => {
    for (const host of ['8.8.8.8', '203.0.114.7', '[2606:4700:4700::1111]', '1.1.1.1']) {
      expect(forbiddenAddressReason(hostOf(host)), host).toBeUndefined();
    }
  });
});

describe('security: SSRF on the real runtime', () => {
  let stack: EngineStack;
  let stub: TestServer;
  let hits = 0;
  let port = 0;

  beforeAll(async () => {
    stub = await startTestServer();
    stub.handler = (_req, res) => {
      hits += 1;
      res.setHeader('content-type', 'application/json');
      res.end('{"secret":"internal"}');
    };
    port = Number(new URL(stub.url).port);
    const at = (host: string) => ({
      system: 'http',
      baseUrl: `http://${host}:${port}`,
      auth: { type: 'none' },
    });
    stack = await startEngineStack({
      connections: {
        dotted: at('127.0.0.1'),
        decimal: at('2130706433'),
        hex: at('0x7f.0.0.1'),
        octal: at('0177.0.0.01'),
        short: at('127.1'),
        mapped: at('[::ffff:127.0.0.1]'),
        named: at('localhost'),
        metadata: at('169.254.169.254'),
        allowed: { ...at('127.0.0.1'), allowPrivateNetwork: true },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await stub?.close();
  });

  async function callThrough(connection: string) {
    const id = `sec-ssrf-${connection}`;
    await stack.deploy(
      chainFlow(id, [
        {
          id: 'call',
          type: 'connector.http',
          config: { connection, method: 'GET', path: '/latest/meta-data/', timeoutMs: 5_000 },
        },
      ]),
    );
    return (await stack.waitForRun(await stack.start(id, {}))) as {
      status: string;
      failure?: { error: { code: string; message: string; retryable: boolean } };
    };
  }

  it.each(['dotted', 'decimal', 'hex', 'octal', 'short', 'mapped', 'named', 'metadata'])(
    'a connection to loopback/metadata spelt "%s" is refused before any byte is sent',
    async (connection) => {
      const before = hits;
      const run = await callThrough(connection);
      expect(run.status).toBe('failed');
      expect(run.failure?.error).toMatchObject({ code: 'forbidden-host', retryable: false });
      expect(run.failure?.error.message).toMatch(/allowPrivateNetwork/);
      expect(hits).toBe(before);
    },
  );

  it('a connection with allowPrivateNetwork reaches the loopback service', async () => {
    const before = hits;
    const run = await callThrough('allowed');
    expect(run.status).toBe('succeeded');
    expect(hits).toBe(before + 1);
  });
});
