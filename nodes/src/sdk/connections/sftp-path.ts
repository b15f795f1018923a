import { PermanentError } from '../errors';

/** True when the text holds a back slash or a control character (C0 or DEL). */
function hasControlOrBackslash(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** An absolute server path with no `..` or `.` segment, back slash or control character. */
export function checkRemotePath(path: string): string {
  const bad =
    !path.startsWith('/') ||
    path.length > 1024 ||
    hasControlOrBackslash(path) ||
    path.split('/').some((segment) => segment === '..' || segment === '.');
  if (bad) {
    throw new PermanentError(
      'invalid-input',
      `The remote path ${JSON.stringify(path)} is not an absolute path without "..", "." or control characters.`,
    );
  }
  return path;
}

/** The folder part of a path (`/` for a file at the top). */
export function remoteFolder(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

/** Joins a folder and a file name. */
export function remoteJoin(folder: string, name: string): string {
  return `${folder.replace(/\/+$/, '')}/${name}`;
}
