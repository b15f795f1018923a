import { describe, expect, it } from 'vitest';
import { heldResponse, type RawHeaders, recordHeaders } from './read-response';

/** What `Headers` makes of the same record, appended value by value as undici hands them. */
function webHeaders(raw: RawHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}

function entries(headers: { forEach(cb: (value: string, name: string) => void): void }) {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    out.push([name, value]);
  });
  return out;
}

describe('recordHeaders', () => {
  // As undici's `request` parses them: lower-cased names, repeats in arrays, trailing blanks kept.
  const raw: RawHeaders = {
    'x-trail': 'spaced value \t ',
    'set-cookie': ['a=1', 'b=2 '],
    'x-dup': ['1', '2'],
    constructor: 'c',
    'content-type': 'application/json',
    'x-empty': '',
    location: '/next',
  };

  it('answers get, has and forEach as Headers does', () => {
    const ours = recordHeaders(raw);
    const theirs = webHeaders(raw);
    for (const name of [...Object.keys(raw), 'Content-Type', 'LOCATION', 'missing', 'toString']) {
      expect([name, ours.get(name)]).toEqual([name, theirs.get(name)]);
      expect([name, ours.has(name)]).toEqual([name, theirs.has(name)]);
    }
    expect(entries(ours)).toEqual(entries(theirs));
  });

  it('does not take a prototype member for a header', () => {
    const ours = recordHeaders({ 'content-length': '2' });
    expect(ours.get('constructor')).toBeNull();
    expect(ours.has('__proto__')).toBe(false);
  });
});

describe('heldResponse', () => {
  const headers = recordHeaders({ 'content-type': 'text/plain' });

  it('hands its body to a reader as one chunk, then ends', async () => {
    const bytes = new TextEncoder().encode('héllo');
    const reader = heldResponse(200, headers, bytes).body?.getReader();
    expect(await reader?.read()).toEqual({ done: false, value: bytes });
    expect(await reader?.read()).toEqual({ done: true });
  });

  it('reads as text like a Response, byte order mark and all', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]);
    expect(await heldResponse(200, headers, bytes).text()).toBe(await new Response(bytes).text());
  });

  it('has no body when it has no bytes, and an empty one for zero bytes', async () => {
    const none = heldResponse(204, headers, null);
    expect(none.body).toBeNull();
    expect(await none.text()).toBe('');
    const empty = heldResponse(200, headers, new Uint8Array(0));
    expect(await empty.body?.getReader().read()).toEqual({ done: true });
  });

  it('ends a cancelled body', async () => {
    const response = heldResponse(302, headers, new TextEncoder().encode('moved'));
    await response.body?.cancel();
    expect(await response.body?.getReader().read()).toEqual({ done: true });
  });

  it('throws the failure that cut its body short to whoever reads it', async () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const response = heldResponse(200, headers, null, reset);
    await expect(response.body?.getReader().read()).rejects.toBe(reset);
    await expect(response.text()).rejects.toBe(reset);
  });
});
