// Writes a file whole or not at all: a temp file beside it, then rename. A failed write (full or read-only
// disk) removes the temp file and says which file could not be written and why, in words.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';

export interface AtomicWriteFs {
  writeFile(file: string, content: string, options: { mode: number }): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
}

const WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

export class FileWriteError extends Error {
  override name = 'FileWriteError';
  constructor(
    readonly file: string,
    readonly code: string,
  ) {
    super(`Cannot write ${file}: ${WORDS[code] ?? code} (${code}).`);
  }
}

export async function writeAtomically(
  file: string,
  content: string,
  mode: number,
  io: AtomicWriteFs = fs,
): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await io.writeFile(temp, content, { mode });
    await io.chmod(temp, mode);
    await io.rename(temp, file);
  } catch (error) {
    await io.rm(temp, { force: true }).catch(() => undefined);
    throw new FileWriteError(file, (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
}
