import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../sandbox';
import { startPartners } from './partners';
import { type SftpDrop, startSftpDrop } from './sftp-drop';

const secrets = { ERP_API_KEY: 'k', WMS_TOKEN: 't', TMS_USER: 'u', TMS_PASSWORD: 'p' };
let root: string;
let drop: SftpDrop;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sandbox-sftp-'));
  drop = await startSftpDrop({ root, username: 'partner', password: 'partner-password' });
});
afterAll(async () => {
  await drop.stop();
  rmSync(root, { recursive: true, force: true });
});

/** An SFTP session as a partner's client opens it; rejects on a refused login. */
function sftpSession(password: string): Promise<{ sftp: ssh2.SFTPWrapper; end(): void }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', reject);
    client.on('ready', () =>
      client.sftp((error, sftp) => {
        if (error) reject(error);
        else resolve({ sftp, end: () => client.end() });
      }),
    );
    client.connect({ host: '127.0.0.1', port: drop.port, username: 'partner', password });
  });
}

describe('the carrier SFTP drop', () => {
  it('refuses a wrong password', async () => {
    await expect(sftpSession('wrong')).rejects.toThrow(/authentication/i);
  });

  it('serves its folder and nothing outside it', async () => {
    writeFileSync(path.join(root, 'inside.txt'), 'inside');
    const { sftp, end } = await sftpSession('partner-password');
    try {
      const names = await new Promise<string[]>((resolve, reject) =>
        sftp.readdir('/../..', (e, list) => (e ? reject(e) : resolve(list.map((f) => f.filename)))),
      );
      // `/../..` is the drop's own root, not the machine's.
      expect(names).toContain('inside.txt');
      const outside = await new Promise<unknown>((resolve) =>
        sftp.readFile('/../../etc/hostname', (e) => resolve(e)),
      );
      expect((outside as { code?: number }).code).toBe(2); // no such file, in the drop
      await drop.put('/outbound/214/a.edi', 'ISA*');
      expect(readFileSync(path.join(root, 'outbound', '214', 'a.edi'), 'utf8')).toBe('ISA*');
    } finally {
      end();
    }
  });
});

describe('partner services that cannot start', () => {
  it('are reported, not thrown; the staging control routes say why', async () => {
    const partners = await startPartners({
      stagingDb: {
        host: '127.0.0.1',
        port: 1,
        database: 'nowhere',
        user: 'u',
        password: 'p',
        adminUser: 'postgres',
      },
      wmsEvents: { url: 'amqp://127.0.0.1:1/', exchange: 'wms.events' },
    });
    expect(partners.status.map((s) => [s.name, s.ok])).toEqual([
      ['stagingDb', false],
      ['wmsEvents', false],
    ]);
    expect(partners.status[0]?.problem).toMatch(/ECONNREFUSED/);
    await partners.stop();
  });

  it('a sandbox without them answers 409 for staging and SFTP deliveries', async () => {
    const sandbox = await startSandbox({ secrets, partners: {} });
    try {
      const staging = await fetch(`${sandbox.urls.erp}/_control/staging/orders`);
      expect(staging.status).toBe(409);
      const milestone = await fetch(`${sandbox.urls.carrier}/_control/simulate/milestone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Reference: 'SHP-1', StatusCode: 'AF', Delivery: 'sftp' }),
      });
      expect(milestone.status).toBe(409);
    } finally {
      await sandbox.stop();
    }
  });
});
