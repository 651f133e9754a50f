import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'bridge.lock';

/** Another bridge process uses the data folder (its certificate, key and call log). */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * One bridge per data folder: two bridges starting at once on an empty folder would each generate a
 * certificate and serve different ones. The lock file holds the owner's pid; a lock whose process is
 * gone (a crash, kill -9) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return async () => {
        const owner = await readOwner(file);
        if (owner === process.pid) await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner !== null && owner !== process.pid && isAlive(owner)) {
      throw new DataDirInUseError(
        `Another Dialler Bridge (process ${owner}) is using the data folder ${dataDir}. Stop it first, or give this one another "dataDir".`,
      );
    }
    // Stale (its process is gone) or unreadable: take it over.
    await unlink(file).catch(() => undefined);
  }
  throw new DataDirInUseError(`Could not lock the data folder ${dataDir} (${file}).`);
}

async function readOwner(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
