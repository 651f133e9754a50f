import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../src/main/engine/bridge/data-dir-lock';
import { makeTempDir } from '../support/temp-dir';

describe('one bridge per data folder', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function folder(): Promise<string> {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    return dir;
  }

  it('refuses a second owner while the first lives, naming its process and the folder; free again after release', async () => {
    const dir = await folder();
    // Another live process owns the lock.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(dir, LOCK_FILE), `${other.pid}\n`);
      await expect(lockDataDir(dir)).rejects.toThrow(
        new RegExp(
          `Another Dialler Bridge \\(process ${other.pid}\\) is using the data folder ${dir.replace(/[\\\\/.]/g, '.')}`,
        ),
      );
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once('exit', resolve));
    // Its process is gone: the stale lock is taken over, and released on unlock.
    const unlock = await lockDataDir(dir);
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await unlock();
    await expect(readFile(path.join(dir, LOCK_FILE), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
