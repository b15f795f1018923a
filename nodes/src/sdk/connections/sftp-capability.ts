/** A file in a remote folder. */
export interface SftpEntry {
  name: string;
  /** The folder and the name, `/`-joined. */
  path: string;
  size: number;
  /** Last modification, epoch milliseconds (the server's clock, to the second). */
  modifiedAt: number;
}

/**
 * What a step may do on an `sftp` connection. Paths are absolute on the server (`/inbound/a.edi`);
 * a path with a `..` segment, a back slash or a control character is refused before anything is
 * sent.
 */
export interface SftpCapability {
  /** The plain files of a folder (no folders, links or hidden files), oldest first. */
  list(folder: string): Promise<SftpEntry[]>;
  /** The whole file; a permanent `invalid-input` error when it is larger than `maxBytes`. */
  read(path: string, options: { maxBytes: number }): Promise<Uint8Array>;
  /**
   * Writes under a hidden temporary name in the same folder, then renames it over `path`: a
   * partner polling the folder sees no file, then the whole file, never half of it.
   */
  write(path: string, content: Uint8Array): Promise<{ path: string; size: number }>;
  /** Moves a file (replacing `to` where the server allows); creates `to`'s folder if missing. */
  rename(from: string, to: string): Promise<void>;
}
