import { createHash, randomUUID } from 'node:crypto';
import {
  checkRemotePath,
  PermanentError,
  remoteFolder,
  remoteJoin,
  type SftpCapability,
  TransientError,
} from '@crossdock/nodes';
import type SftpClient from 'ssh2-sftp-client';
import type { TransportAdapter } from './adapter';

/** `SHA256:<base64 without padding>` of a host key, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Failures another attempt will not change: SFTP status 2 (no such file) and 3 (permission
 * denied) from ssh2, and the names ssh2-sftp-client gives them.
 */
const MISSING = new Set<unknown>([2, 'ENOENT']);
const REFUSED = new Set<unknown>([3, 'EACCES', 'EPERM', 'ERR_BAD_AUTH', 'ERR_BAD_PATH']);

/** An SFTP failure as a node error: a missing file or a refusal is permanent, the rest transient. */
function sftpError(connection: string, error: unknown): Error {
  if (!(error instanceof Error)) return new TransientError('network', String(error));
  if (typeof (error as { errorClass?: unknown }).errorClass === 'string') return error;
  const code = (error as { code?: unknown }).code;
  const message = `sftp connection "${connection}": ${error.message}`;
  if (MISSING.has(code)) return new PermanentError('not-found', message, { cause: error });
  if (REFUSED.has(code)) return new PermanentError('upstream-rejected', message, { cause: error });
  return new TransientError('network', message, { cause: error });
}

/**
 * Renames with OpenSSH's posix-rename (replaces the target atomically) where the server offers
 * it, else with plain SFTP RENAME (servers without OpenSSH extensions: some partners' appliances
 * and the sandbox carrier's drop), which is atomic too but may refuse an existing target.
 */
async function renameOnServer(client: SftpClient, from: string, to: string): Promise<void> {
  try {
    await client.posixRename(from, to);
  } catch (error) {
    if (!(error instanceof Error) || !/does not support/i.test(error.message)) throw error;
    await client.rename(from, to);
  }
}

/**
 * SFTP through ssh2-sftp-client (ssh2): one session per connection, shared by the steps of the
 * process. With `hostKeySha256` the server must show that key; writes go to a hidden temporary
 * name and are renamed into place (see `renameOnServer`).
 */
export const sftpAdapter: TransportAdapter<'sftp'> = {
  kind: 'sftp',
  operations: ['list', 'read', 'write', 'rename'],
  async open(target) {
    const c = target.connection;
    let alive = true;
    const gone = () => {
      alive = false;
    };
    // Our listeners instead of the library's, which print to the console: a lost session only
    // marks the client unhealthy, and the pool opens another on the next use.
    const { default: SftpClient } = await import('ssh2-sftp-client');
    const client = new SftpClient(`crossdock-${c.name}`, { end: gone, close: gone, error: gone });
    const expected = c.hostKeySha256?.replace(/=+$/, '');
    const auth = c.auth;
    await client.connect({
      host: target.address,
      port: target.port,
      username: target.secret(auth.usernameSecret),
      ...(auth.type === 'basic'
        ? { password: target.secret(auth.passwordSecret) }
        : {
            privateKey: target.secret(auth.privateKeySecret),
            ...(auth.passphraseSecret ? { passphrase: target.secret(auth.passphraseSecret) } : {}),
          }),
      readyTimeout: c.timeoutMs ?? 10_000,
      keepaliveInterval: 15_000,
      ...(expected ? { hostVerifier: (key: Buffer) => hostKeyFingerprint(key) === expected } : {}),
    });
    if (!expected)
      target.log.warn('sftp connection without hostKeySha256: the server is not verified');
    const guard = async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw sftpError(c.name, error);
      }
    };
    const capability: SftpCapability = {
      list: (folder) =>
        guard(async () => {
          const entries = await client.list(checkRemotePath(folder));
          return entries
            .filter((e) => e.type === '-' && !e.name.startsWith('.'))
            .map((e) => ({
              name: e.name,
              path: remoteJoin(folder, e.name),
              size: e.size,
              modifiedAt: e.modifyTime,
            }))
            .sort((a, b) => a.modifiedAt - b.modifiedAt || a.name.localeCompare(b.name));
        }),
      read: (path, options) =>
        guard(async () => {
          const stats = await client.stat(checkRemotePath(path));
          if (stats.size > options.maxBytes) {
            throw new PermanentError(
              'invalid-input',
              `${path} is ${stats.size} bytes, more than the ${options.maxBytes} allowed.`,
            );
          }
          const data = await client.get(path);
          return Buffer.isBuffer(data) ? data : Buffer.from(String(data));
        }),
      write: (path, content) =>
        guard(async () => {
          const folder = remoteFolder(checkRemotePath(path));
          const name = path.slice(folder.length + (folder === '/' ? 0 : 1));
          const temporary = remoteJoin(folder, `.${name}.${randomUUID().slice(0, 8)}.part`);
          await client.put(Buffer.from(content), temporary);
          try {
            await renameOnServer(client, temporary, path);
          } catch (error) {
            await client.delete(temporary, true).catch(() => undefined);
            throw error;
          }
          return { path, size: content.byteLength };
        }),
      rename: (from, to) =>
        guard(async () => {
          checkRemotePath(from);
          await client.mkdir(remoteFolder(checkRemotePath(to)), true);
          await renameOnServer(client, from, to);
        }),
    };
    return {
      healthy: () => alive,
      close: async () => {
        alive = false;
        await client.end().catch(() => false);
      },
      capability,
    };
  },
  dryRun(connection, record) {
    const url = (path: string) => `sftp://${connection.name}${path}`;
    return {
      async list() {
        return [];
      },
      async read(path) {
        throw new PermanentError(
          'not-found',
          `${url(path)}: a safe test run reads no remote file.`,
        );
      },
      async write(path, content) {
        record({
          method: 'SFTP PUT',
          url: url(checkRemotePath(path)),
          body: Buffer.from(content).toString('utf8'),
        });
        return { path, size: content.byteLength };
      },
      async rename(from, to) {
        record({ method: 'SFTP RENAME', url: url(from), body: to });
      },
    };
  },
};
