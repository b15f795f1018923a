import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseX12 } from '../../../edi/parse';
import { loadPartner, type TradingPartner } from '../../../edi/partners';
import { sample } from '../../../edi/samples';
import type { JsonObject } from '../../../sdk/json';
import { payloadAt } from '../../../testing/emissions';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeEdiGenerate } from './generate/execute';
import { executeEdiParse } from './parse/execute';

const partnersDir = new URL('../../../../../flows/partners/', import.meta.url);
const profile = (id: string) => {
  const loaded = loadPartner(readFileSync(new URL(`${id}.json`, partnersDir), 'utf8'), id);
  expect(loaded.diagnostics).toEqual([]);
  return loaded.partner as TradingPartner;
};
const po = sample('850-purchase-order.x12');
const fixture = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../edi/fixtures/${name}.x12`, import.meta.url)),
    'utf8',
  );
const defaults = { emit: 'each', onRejected: 'fail', acknowledge: true };
const withPartners = (config: JsonObject, partners: Record<string, TradingPartner>) => {
  const cache = new Map<string, unknown>();
  return fakeContext(config, {
    partner: (id) =>
      Object.hasOwn(partners, id) ? (partners[id] as unknown as JsonObject) : undefined,
    cache: {
      get: async (key) => cache.get(key) as never,
      set: async (key, value) => {
        cache.set(key, value);
      },
      claim: async (key, value) => {
        const held = cache.get(key) as never;
        if (held === undefined) cache.set(key, value);
        return held;
      },
    },
  });
};

describe('trading-partner profiles in the EDI nodes', () => {
  it('reads with the partner default country and refuses a resend of the same ISA13', async () => {
    const harbor = profile('harbor-outfitters');
    const text = fixture('850-n4-no-country-partner-default');
    const ctx = withPartners(
      { ...defaults, partner: 'harbor' },
      { harbor: { ...harbor, defaultCountry: 'MX' } },
    );
    const first = await executeEdiParse(message(text), ctx);
    expect(first.emissions[0]?.payload).toMatchObject({ shipTo: { address: { country: 'MX' } } });
    // A retry of the same run's step is not a resend; another run with the same ISA13 is.
    const retried = await executeEdiParse(message(text), ctx);
    expect(retried.emissions).toHaveLength(first.emissions.length);
    await expect(executeEdiParse(message(text), { ...ctx, runId: 'run-2' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(
        /Interchange 000001001 from ZZ\/PARTNERX is a resend.*\(run run-1\)/,
      ),
    });
  });

  it('rejects what a strict partner only warns about, and sends the TA1 it asks for', async () => {
    const exfl = { ...profile('exfl'), strict: true };
    const ctx = withPartners({ ...defaults, partner: 'exfl', onRejected: 'acknowledge' }, { exfl });
    const result = await executeEdiParse(message(fixture('214-unknown-status-code-kept-raw')), ctx);
    const ack = result.emissions.find((e) => e.port === 'ack')?.payload as { x12: string };
    expect(result.emissions.filter((e) => e.port === 'out')).toEqual([]);
    expect(ack.x12).toContain('TA1*000001001*261201*0830*A*000~');
    expect(ack.x12).toContain('AK5*R*5');
  });

  it('refuses a partner that has no profile', async () => {
    await expect(
      executeEdiParse(message(po), withPartners({ ...defaults, partner: 'nobody' }, {})),
    ).rejects.toMatchObject({
      code: 'invalid-config',
      message: expect.stringMatching(/flows\/partners\/nobody.json/),
    });
  });

  it('writes the envelope from the partner profile', async () => {
    const harbor = { ...profile('harbor-outfitters'), version: '00403' };
    const parsed = parseX12(po).documents[0];
    const ctx = withPartners({ transactionSet: '850', partner: 'harbor' }, { harbor });
    const out = await executeEdiGenerate(message(parsed?.value as never), ctx);
    const x12 = payloadAt<{ x12: string }>(out, 0).x12;
    expect(x12).toMatch(
      /^ISA\*00\*.{24}\*ZZ\*CROSSDOCKDAL {3}\*01\*078742090 {6}\*\d{6}\*\d{4}\*\^\*00403\*\d{9}\*1\*P\*>~/,
    );
    expect(x12).toContain('*X*004030~');
  });
});

describe('partner profile validation', () => {
  it('names what is wrong with a path, line and column', () => {
    const bad =
      '{\n  "id": "Bad Id",\n  "name": "x",\n  "isa": { "qualifier": "ZZ", "id": "X" },\n  "us": { "qualifier": "ZZ", "id": "Y" },\n  "timeZone": "Mars/Base"\n}\n';
    const loaded = loadPartner(bad);
    expect(loaded.partner).toBeUndefined();
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'partner.invalid', path: '$.id', line: 2 });
    const zone = loadPartner(bad.replace('Bad Id', 'ok'), 'ok');
    expect(zone.diagnostics[0]).toMatchObject({
      path: '$.timeZone',
      message: expect.stringMatching(/IANA/),
    });
    const named = loadPartner(bad.replace('Bad Id', 'ok').replace('Mars/Base', 'UTC'), 'other');
    expect(named.diagnostics[0]?.message).toMatch(/must match its file name "other.json"/);
  });
});
