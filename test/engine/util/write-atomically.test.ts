// A full or read-only disk: the write fails naming the file in words, and no *.tmp is left behind.
import { readdir, readFile } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileWriteError,
  writeAtomically,
  type AtomicWriteFs,
} from '../../../src/main/engine/util/write-atomically';
import { makeTempDir } from '../../support/temp-dir';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function folder(): Promise<string> {
  const temp = await makeTempDir('atomic-');
  cleanup = temp.cleanup;
  return temp.dir;
}

/** The real file system, except that writes run out of space after `room` bytes (what a full disk does). */
function fullDisk(room: number): AtomicWriteFs {
  return {
    ...fs,
    writeFile: async (file, content, options) => {
      await fs.writeFile(file, content.slice(0, room), options);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
}

describe('writeAtomically', () => {
  it('writes the whole file with the given mode and leaves nothing else', async () => {
    const dir = await folder();
    const file = path.join(dir, 'api-key.txt');
    await writeAtomically(file, 'secret\n', 0o600);
    expect(await readFile(file, 'utf8')).toBe('secret\n');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['api-key.txt']);
  });

  it('on a full disk: an error naming the file, no half file, no *.tmp left', async () => {
    const dir = await folder();
    const file = path.join(dir, 'bridge-cert.pem');
    const error = await writeAtomically(file, 'x'.repeat(1000), 0o644, fullDisk(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as Error).message).toBe(`Cannot write ${file}: the disk is full (ENOSPC).`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps an existing file untouched when the new one cannot be written', async () => {
    const dir = await folder();
    const file = path.join(dir, 'api-key.txt');
    await writeAtomically(file, 'old-key\n', 0o600);
    await expect(writeAtomically(file, 'new-key\n', 0o600, fullDisk(3))).rejects.toThrow(/disk is full/);
    expect(await readFile(file, 'utf8')).toBe('old-key\n');
    expect(await readdir(dir)).toEqual(['api-key.txt']);
  });
});
