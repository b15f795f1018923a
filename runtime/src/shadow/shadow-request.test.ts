import { describe, expect, it } from 'vitest';
import { parseStartShadow } from './shadow-request';

const now = Date.parse('2026-12-04T12:00:00Z');

describe('parseStartShadow', () => {
  it('takes version, sample, until, mapping and ignore', () => {
    expect(
      parseStartShadow(
        {
          version: '1.1.0',
          sample: 0.25,
          until: '2026-12-05T12:00:00+01:00',
          mapping: { b: 'a' },
          ignore: ['sentAt'],
        },
        now,
      ),
    ).toEqual({
      version: '1.1.0',
      sample: 0.25,
      until: '2026-12-05T11:00:00.000Z',
      mapping: { b: 'a' },
      ignore: ['sentAt'],
    });
  });

  it.each([
    ['no body', null, /Send/],
    ['an unknown field', { version: '1', sampel: 1 }, /Unknown field\(s\): sampel/],
    ['no version', { sample: 1 }, /version/],
    ['a zero sample', { version: '1', sample: 0 }, /sample/],
    ['a sample above 1', { version: '1', sample: 1.5 }, /sample/],
    ['an unreadable until', { version: '1', until: 'tomorrow' }, /ISO 8601/],
    ['an until in the past', { version: '1', until: '2026-12-03T00:00:00Z' }, /past/],
    ['a mapping to a number', { version: '1', mapping: { b: 1 } }, /mapping/],
    ['an ignore that is not a list', { version: '1', ignore: 'sentAt' }, /ignore/],
  ])('refuses %s', (_what, body, message) => {
    expect(() => parseStartShadow(body, now)).toThrow(message);
  });
});
