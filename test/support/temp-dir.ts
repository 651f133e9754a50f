import { afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder under the OS temp dir; `cleanup` removes it. */
export async function makeTempDir(
  prefix = 'dialler-bridge-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * For a test file: `const tempDir = tempDirsRemovedAfterEach()`, then `await tempDir()` in any test; every
 * folder made that way is removed after each test.
 */
export function tempDirsRemovedAfterEach(prefix?: string): () => Promise<string> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });
  return async () => {
    const temp = await makeTempDir(prefix);
    cleanups.push(temp.cleanup);
    return temp.dir;
  };
}
