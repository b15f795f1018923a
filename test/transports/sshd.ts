import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@crossdock/runtime/testing';

/** A private OpenSSH SFTP server for one test file. */
export interface TestSshd {
  port: number;
  /** The login (root: CI and this machine run tests as root; see below). */
  username: string;
  /** The login's private key (OpenSSH text). */
  privateKey: string;
  /** The server's host key fingerprint, `SHA256:<base64>` as `ssh-keygen -lf` prints it. */
  hostKeySha256: string;
  /** The folder the SFTP session sees as `/` (a chroot), on this machine's disk. */
  root: string;
  stop(): Promise<void>;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts Debian's sshd on a free loopback port with a temporary host key and a temporary login
 * key. The tests run as root, so the login is root, but only by that key, only from this
 * config, and forced into `internal-sftp` chrooted to a temporary folder: no shell, no other
 * file on the machine. Nothing of the machine's own sshd setup is used or changed (the
 * privilege-separation folder /run/sshd is created when missing, as sshd requires it).
 */
export async function startSshd(): Promise<TestSshd> {
  // sshd refuses a chroot under a world-writable folder such as /tmp: /run is root's, 0755.
  const dir = mkdtempSync(path.join(existsSync('/run') ? '/run' : os.tmpdir(), 'crossdock-sshd-'));
  const root = path.join(dir, 'chroot');
  mkdirSync(root, { mode: 0o755 });
  const hostKey = path.join(dir, 'host_ed25519');
  const userKey = path.join(dir, 'user_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${hostKey}.pub`]).toString();
  const hostKeySha256 = /SHA256:[A-Za-z0-9+/]+/.exec(fingerprint)?.[0] ?? '';
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`), { mode: 0o600 });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'AuthenticationMethods publickey',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowUsers root',
      'UsePAM no',
      'StrictModes no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'PermitTTY no',
      'Subsystem sftp internal-sftp',
      'ForceCommand internal-sftp',
      `ChrootDirectory ${root}`,
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  for (let i = 0; i < 200 && !(await answers(port)); i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    username: 'root',
    privateKey: readFileSync(userKey, 'utf8'),
    hostKeySha256,
    root,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
