import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  IPC_PREFIX,
  type DiallerApi,
  type InvokeChannel,
} from '../../../shared/ipc-contract';
import type { BridgeNotice, BridgeSnapshot } from '../../../shared/bridge-types';
import type { SiteCheckStep } from '../../../shared/site-check';
import type { Logger } from '../../engine/log/logger';
import { INVOKE_ARGS } from './invoke-args';
import type { SenderEvent, TrustedSenders } from './trusted-senders';

/** What main implements: every DiallerApi method except the event subscriptions. */
export type InvokeApi = Pick<DiallerApi, InvokeChannel>;

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * One handler per invoke channel. A message from an untrusted sender, or with arguments that fail the
 * channel's schema, is logged and answered with an error; the service never sees it.
 * Returns a function that removes the handlers.
 */
export function registerInvokeHandlers(deps: {
  ipcMain: IpcMainLike;
  senders: Pick<TrustedSenders, 'rejection'>;
  api: InvokeApi;
  log: Logger;
}): () => void {
  const log = deps.log.child({ component: 'ipc' });
  for (const name of INVOKE_CHANNELS) {
    const channel = IPC_PREFIX + name;
    deps.ipcMain.handle(channel, async (event, ...args) => {
      const rejection = deps.senders.rejection(event);
      if (rejection) {
        log.warn('IPC message refused', {
          channel,
          reason: rejection,
          frameUrl: event.senderFrame?.url ?? null,
        });
        throw new Error(`${name} refused: ${rejection}`);
      }
      const parsed = INVOKE_ARGS[name].safeParse(args);
      if (!parsed.success) {
        // Paths and codes only: the values may be secrets (a password being saved).
        const issues = parsed.error.issues.map(
          (issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.code}`,
        );
        log.warn('IPC arguments refused', { channel, issues });
        throw new Error(`${name} refused: invalid arguments`);
      }
      const method = deps.api[name] as (...methodArgs: unknown[]) => Promise<unknown>;
      try {
        return await method.apply(deps.api, parsed.data as unknown[]);
      } catch (error) {
        log.error('IPC handler failed', { channel, error });
        throw new Error(`${name} failed`, { cause: error });
      }
    });
  }
  return () => {
    for (const name of INVOKE_CHANNELS) deps.ipcMain.removeHandler(IPC_PREFIX + name);
  };
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** Pushes bridge events to the renderer(s). */
export function pushSnapshot(targets: Iterable<EventTarget>, snapshot: BridgeSnapshot): void {
  push(targets, IPC_PREFIX + EVENT_CHANNELS.snapshot, snapshot);
}

export function pushNotice(targets: Iterable<EventTarget>, notice: BridgeNotice): void {
  push(targets, IPC_PREFIX + EVENT_CHANNELS.notice, notice);
}

export function pushSiteCheckProgress(targets: Iterable<EventTarget>, steps: SiteCheckStep[]): void {
  push(targets, IPC_PREFIX + EVENT_CHANNELS.siteCheckProgress, steps);
}

function push(targets: Iterable<EventTarget>, channel: string, payload: unknown): void {
  for (const target of targets) if (!target.isDestroyed()) target.send(channel, payload);
}
