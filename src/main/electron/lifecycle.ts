// App lifecycle: one instance per user session, and a quit that logs out of the PBX before exiting.
import type { Logger } from '../engine/log/logger';

interface PreventableEvent {
  preventDefault(): void;
}

export interface LifecycleApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(code?: number): void;
  on(
    event: 'second-instance',
    listener: (event: unknown, argv: readonly string[] | undefined) => void,
  ): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
}

/**
 * Two instances would fight over the Patriot port: a second launch quits and hands its arguments (a clicked
 * tel: link on Windows) to the first one, which shows its window or dials.
 * Returns false when this process is the second instance (it has already asked to quit).
 */
export function claimSingleInstance(
  app: LifecycleApp,
  onSecondLaunch: (argv: readonly string[]) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => onSecondLaunch(argv ?? []));
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  return true;
}

export interface GracefulQuit {
  /** True once a quit has begun: windows then close for real instead of hiding to the tray. */
  readonly quitting: boolean;
}

/**
 * Holds the first quit until `stop()` (PBX logout, sockets closed) has finished, then quits for real.
 * If stopping hangs, the app exits anyway after `graceMs`.
 */
export function installGracefulQuit(
  app: LifecycleApp,
  stop: () => Promise<void>,
  log: Logger,
  graceMs = 5_000,
): GracefulQuit {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    log.info('quitting: stopping the bridge');
    const forceExit = setTimeout(() => {
      log.warn('the bridge did not stop in time; exiting', { graceMs });
      app.exit(0);
    }, graceMs);
    stop()
      .catch((error: unknown) => log.error('error while stopping the bridge', { error }))
      .finally(() => {
        clearTimeout(forceExit);
        phase = 'stopped';
        app.quit();
      });
  });
  return {
    get quitting() {
      return phase !== 'running';
    },
  };
}
