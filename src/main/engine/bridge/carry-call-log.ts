import { constants } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log/logger';

/**
 * The data folder changed: the call history follows to the new folder, unless that folder already has
 * one (never overwritten). The old file stays where it was: the operator's data is never deleted.
 */
export async function carryCallLog(from: string, to: string, log: Logger): Promise<void> {
  if (path.resolve(from) === path.resolve(to)) return;
  try {
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to, constants.COPYFILE_EXCL);
    log.info('call log copied to the new data folder', { from, to });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EEXIST') return;
    log.warn('could not copy the call log to the new data folder', {
      from,
      to,
      error: (error as Error).message,
    });
  }
}
