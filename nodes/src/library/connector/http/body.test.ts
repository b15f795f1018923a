import { describe, expect, it } from 'vitest';
import { readCappedBytes } from './body';

describe('readCappedBytes', () => {
  it('joins the chunks of a streamed body', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    const response = new Response(stream);
    expect(await readCappedBytes(response, 10)).toEqual({
      bytes: new Uint8Array([1, 2, 3]),
      size: 3,
    });
  });

  it('stops and cancels the transfer once past the cap', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(4));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { bytes, size } = await readCappedBytes(new Response(stream), 10);
    expect([bytes.byteLength, size]).toEqual([12, 12]);
    expect(cancelled).toBe(true);
  });

  it('gives no bytes for a response without a body', async () => {
    expect(await readCappedBytes(new Response(null, { status: 204 }), 10)).toEqual({
      bytes: new Uint8Array(0),
      size: 0,
    });
  });
});
