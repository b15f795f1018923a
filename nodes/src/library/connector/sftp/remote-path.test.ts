import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../../sdk/schema-check';
import { sftpPutConnector } from './put/manifest';
import { renderRemotePath } from './remote-path';

describe('SFTP remote paths', () => {
  it('inserts message values as file name parts', () => {
    expect(
      renderRemotePath('/out/214_{{shipment.id}}_{{n}}.edi', { shipment: { id: 'SHP-1' }, n: 7 }),
    ).toBe('/out/214_SHP-1_7.edi');
  });

  it('refuses values that would leave the folder or are not names', () => {
    for (const id of ['../x', 'a/b', '..', '.', '', 'a b', 'a\\b', null, { a: 1 }, 'x\u0000']) {
      expect(() => renderRemotePath('/out/{{id}}.edi', { id } as never)).toThrow(
        expect.objectContaining({ name: 'PermanentError', code: 'invalid-input' }),
      );
    }
    expect(() => renderRemotePath('/out/{{missing}}.edi', {})).toThrow(/file name part/);
  });

  it('never yields a path with a ".." segment, whatever the message holds', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        try {
          const path = renderRemotePath('/out/{{id}}', { id });
          return path.split('/').every((s) => s !== '..' && s !== '.') && path.startsWith('/out/');
        } catch (error) {
          return (error as { code?: string }).code === 'invalid-input';
        }
      }),
    );
  });

  it('refuses relative or traversing templates in validation', () => {
    for (const path of ['out/x.edi', '/out/../etc/x', '/out/./x', '/a\\b']) {
      expect(
        checkSchema(sftpPutConnector.configSchema, { connection: 'c', path }).length,
      ).toBeGreaterThan(0);
    }
    expect(
      checkSchema(sftpPutConnector.configSchema, { connection: 'c', path: '/out/{{id}}.edi' }),
    ).toEqual([]);
  });
});
