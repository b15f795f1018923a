import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, truncate } from './redaction';

describe('Redactor', () => {
  it('replaces named fields at any depth and known secret values inside any string', () => {
    const r = new Redactor(['password', 'x-api-key']);
    r.addSecret('s3cr3t-"quoted"');
    const out = r.redact({
      user: { Password: 'p', list: [{ 'x-api-key': 'k' }] },
      note: 'a s3cr3t-"quoted" b',
    });
    expect(out).toEqual({
      user: { Password: REDACTED, list: [{ 'x-api-key': REDACTED }] },
      note: `a ${REDACTED} b`,
    });
  });

  it('never lets a learnt secret through, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 20 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const r = new Redactor([]);
          r.addSecret(secret);
          const text = r.stringify({ value: `${before}${secret}${after}`, [secret]: 1 });
          return !text.includes(JSON.stringify(secret).slice(1, -1));
        },
      ),
    );
  });

  it('ignores secrets too short to redact safely (under 8 characters)', () => {
    const r = new Redactor([]);
    r.addSecret('ab');
    r.addSecret('order12');
    expect(r.scrubText('abc order123')).toBe('abc order123');
  });

  it('redacts the URL-encoded form of a secret too', () => {
    const r = new Redactor([]);
    r.addSecret('p@ss/word+9');
    expect(r.scrubText(`user=x&password=${encodeURIComponent('p@ss/word+9')}`)).toBe(
      'user=x&password=[redacted]',
    );
  });
});

describe('truncate', () => {
  it('keeps small payloads and marks large ones with their size', () => {
    expect(truncate({ a: 1 }, 100)).toEqual({ a: 1 });
    expect(truncate({ big: 'x'.repeat(500) }, 100)).toMatchObject({ $truncated: true, bytes: 510 });
  });
});
