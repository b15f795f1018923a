import { timingSafeEqual } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;

export interface SftpDropOptions {
  /** The local folder the drop serves as `/`. */
  root: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  username: string;
  password: string;
}

/** A running SFTP server over one local folder. */
export interface SftpDrop {
  port: number;
  root: string;
  /** Writes a file as the partner would (to a hidden name, then renamed into place). */
  put(remotePath: string, content: string | Uint8Array): Promise<void>;
  stop(): Promise<void>;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A partner's SFTP server in-process (ssh2's server API) over a local folder: password login,
 * a host key generated at start, the operations an SFTP client needs to list, read, write,
 * rename and remove files. The partner side of the dev samples; not a general-purpose server.
 */
export async function startSftpDrop(options: SftpDropOptions): Promise<SftpDrop> {
  const root = path.resolve(options.root);
  await mkdir(root, { recursive: true });
  /** A remote path inside the root; `undefined` for one that tries to leave it. */
  const local = (remote: string): string | undefined => {
    const resolved = path.resolve(root, `.${path.posix.resolve('/', remote)}`);
    return resolved === root || resolved.startsWith(`${root}${path.sep}`) ? resolved : undefined;
  };
  const hostKey = utils.generateKeyPairSync('ed25519').private;
  const clients = new Set<ssh2.Connection>();
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (
        ctx.method === 'password' &&
        same(ctx.username, options.username) &&
        same(ctx.password, options.password)
      ) {
        ctx.accept();
        return;
      }
      ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), local));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    root,
    async put(remotePath, content) {
      const target = local(remotePath);
      if (!target) throw new Error(`${remotePath} is outside the drop`);
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}.part`);
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    },
    async stop() {
      // Sessions clients keep open (a runtime's pooled one) would hold the close forever.
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Sftp = ssh2.SFTPWrapper;

type Handle = { kind: 'file'; file: FileHandle } | { kind: 'dir'; path: string; listed: boolean };

/** Attributes of a local file as SFTP sends them. */
function attrsOf(s: import('node:fs').Stats): ssh2.Attributes {
  return {
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
  };
}

function statusOf(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EEXIST') {
    return STATUS_CODE.PERMISSION_DENIED;
  }
  return STATUS_CODE.FAILURE;
}

/** The SFTP requests of one session, each answered from the local folder. */
function serveSftp(sftp: Sftp, local: (remote: string) => string | undefined): void {
  const handles = new Map<number, Handle>();
  let next = 0;
  const handleOf = (buffer: Buffer): Handle | undefined =>
    buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined;
  const newHandle = (h: Handle): Buffer => {
    next += 1;
    handles.set(next, h);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(next, 0);
    return buffer;
  };
  /** Runs `work` for a request; a thrown error answers with its status. */
  const answer = (reqId: number, work: () => Promise<void>) => {
    work().catch((error: unknown) => sftp.status(reqId, statusOf(error)));
  };
  const denied = (reqId: number) => sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED);

  sftp.on('REALPATH', (reqId, remote) => {
    const normalized = path.posix.resolve('/', remote);
    sftp.name(reqId, [
      { filename: normalized, longname: normalized, attrs: {} as ssh2.Attributes },
    ]);
  });
  for (const event of ['STAT', 'LSTAT'] as const) {
    sftp.on(event, (reqId: number, remote: string) => {
      const file = local(remote);
      if (!file) return denied(reqId);
      answer(reqId, async () => sftp.attrs(reqId, attrsOf(await stat(file))));
    });
  }
  sftp.on('FSTAT', (reqId, buffer) => {
    const h = handleOf(buffer);
    if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE);
    answer(reqId, async () => sftp.attrs(reqId, attrsOf(await h.file.stat())));
  });
  sftp.on('OPEN', (reqId, remote, flags) => {
    const file = local(remote);
    if (!file) return denied(reqId);
    const mode = utils.sftp.flagsToString(flags) ?? 'r';
    answer(reqId, async () => {
      const handle = await open(file, mode);
      sftp.handle(reqId, newHandle({ kind: 'file', file: handle }));
    });
  });
  sftp.on('READ', (reqId, buffer, offset, length) => {
    const h = handleOf(buffer);
    if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE);
    answer(reqId, async () => {
      const data = Buffer.alloc(length);
      const { bytesRead } = await h.file.read(data, 0, length, offset);
      if (bytesRead === 0) sftp.status(reqId, STATUS_CODE.EOF);
      else sftp.data(reqId, data.subarray(0, bytesRead));
    });
  });
  sftp.on('WRITE', (reqId, buffer, offset, data) => {
    const h = handleOf(buffer);
    if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE);
    answer(reqId, async () => {
      await h.file.write(data, 0, data.length, offset);
      sftp.status(reqId, STATUS_CODE.OK);
    });
  });
  for (const event of ['SETSTAT', 'FSETSTAT'] as const) {
    // Modes and times are the drop's own business: accepted and left as they are.
    sftp.on(event, (reqId: number) => sftp.status(reqId, STATUS_CODE.OK));
  }
  sftp.on('CLOSE', (reqId, buffer) => {
    const h = handleOf(buffer);
    if (!h) return sftp.status(reqId, STATUS_CODE.FAILURE);
    handles.delete(buffer.readUInt32BE(0));
    answer(reqId, async () => {
      if (h.kind === 'file') await h.file.close();
      sftp.status(reqId, STATUS_CODE.OK);
    });
  });
  sftp.on('OPENDIR', (reqId, remote) => {
    const dir = local(remote);
    if (!dir) return denied(reqId);
    answer(reqId, async () => {
      if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOENT' });
      sftp.handle(reqId, newHandle({ kind: 'dir', path: dir, listed: false }));
    });
  });
  sftp.on('READDIR', (reqId, buffer) => {
    const h = handleOf(buffer);
    if (h?.kind !== 'dir') return sftp.status(reqId, STATUS_CODE.FAILURE);
    if (h.listed) return sftp.status(reqId, STATUS_CODE.EOF);
    h.listed = true;
    answer(reqId, async () => {
      const names = await readdir(h.path);
      const entries = await Promise.all(
        names.map(async (name) => {
          const s = await stat(path.join(h.path, name));
          const type = s.isDirectory() ? 'd' : '-';
          return {
            filename: name,
            longname: `${type}rw-r--r-- 1 drop drop ${s.size} ${name}`,
            attrs: attrsOf(s),
          };
        }),
      );
      if (entries.length === 0) sftp.status(reqId, STATUS_CODE.EOF);
      else sftp.name(reqId, entries);
    });
  });
  sftp.on('MKDIR', (reqId, remote) => {
    const dir = local(remote);
    if (!dir) return denied(reqId);
    answer(reqId, async () => {
      await mkdir(dir);
      sftp.status(reqId, STATUS_CODE.OK);
    });
  });
  sftp.on('REMOVE', (reqId, remote) => {
    const file = local(remote);
    if (!file) return denied(reqId);
    answer(reqId, async () => {
      await rm(file);
      sftp.status(reqId, STATUS_CODE.OK);
    });
  });
  sftp.on('RENAME', (reqId, from, to) => {
    const source = local(from);
    const target = local(to);
    if (!source || !target) return denied(reqId);
    // Replaces an existing target, as OpenSSH's posix-rename does (the drop offers no extensions).
    answer(reqId, async () => {
      await rename(source, target);
      sftp.status(reqId, STATUS_CODE.OK);
    });
  });
  sftp.on('close', () => {
    for (const h of handles.values()) if (h.kind === 'file') void h.file.close().catch(() => {});
    handles.clear();
  });
}
