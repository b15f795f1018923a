import { PermanentError } from '../errors';

/** An absolute server path with no `..` or `.` segment, back slash or control character. */
export function checkRemotePath(path: string): string {
  const bad =
    !path.startsWith('/') ||
    path.length > 1024 ||
    /[\\\u0000-\u001f\u007f]/.test(path) ||
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
