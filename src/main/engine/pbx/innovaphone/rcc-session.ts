// RCC on one logged-in connection: find the operator's user, monitor it, dial and clear its calls.
import type { Logger } from '../../log/logger';
import { PbxError, type PbxCallEvent } from '../adapter';
import { RequestTimeoutError, type AppConnection } from './app-connection';
import { CallTracker, type TrackedCall } from './call-tracker';
import { UserDirectory, type DirectoryUser } from './user-directory';
import { asInt, readCallInfo, readUserInfo, type CallInfoRecord, type WireMessage } from './wire';

export type SessionStatus = { monitoring: true; detail: string } | { monitoring: false; reason: string };

export interface RccSessionOptions {
  connection: AppConnection;
  /** App object Name, for messages. */
  app: string;
  /** The operator's user as configured (Long Name). */
  user: string;
  /** Q.850 cause sent with UserClear. */
  clearCause: number;
  log: Logger;
  emitCall(event: PbxCallEvent): void;
  /** The Bridge's id for a call it did not dial. */
  newCallId(): string;
  onStatus(status: SessionStatus): void;
  /** Something went wrong that only a new connection can fix; `reason` is operator-facing. */
  onFatal(reason: string): void;
  requestTimeoutMs: number;
  dialTimeoutMs: number;
  progressTimeoutMs: number;
}

interface MonitoredUser {
  key: string;
  cn: string;
  handle: number;
  src: string;
}

export class RccSession {
  private readonly calls: CallTracker;
  private readonly directory = new UserDirectory();
  private initialized = false;
  private monitored: MonitoredUser | null = null;
  /** A UserInitialize is in flight; CallInfo waits for its handle. */
  private monitoring = false;
  private waitingCallInfo: CallInfoRecord[] = [];
  private lossReason: string | null = null;
  private readonly abandonedDials = new Set<string>();
  private readonly pendingDials = new Set<Promise<unknown>>();
  private sequence = 0;
  private ended = false;

  constructor(private readonly options: RccSessionOptions) {
    this.calls = new CallTracker({
      emit: options.emitCall,
      newCallId: options.newCallId,
      log: options.log,
      progressTimeoutMs: options.progressTimeoutMs,
    });
    options.connection.on('message', (message) => this.onMessage(message));
  }

  get isMonitoring(): boolean {
    return this.monitored !== null;
  }

  /** Initialize → UserInfo* → InitializeResult, then monitor the operator's user if visible. */
  async start(): Promise<void> {
    try {
      const result = await this.options.connection.request(
        { api: 'RCC', mt: 'Initialize', src: this.nextSrc('init') },
        this.options.requestTimeoutMs,
      );
      if (typeof result.error === 'string') throw new Error(result.error);
    } catch (error) {
      if (error instanceof RequestTimeoutError) {
        throw new Error(
          `The PBX did not answer RCC Initialize. Make sure App object "${this.options.app}" has RCC ticked under "Grant access to APIs".`,
          { cause: error },
        );
      }
      throw error;
    }
    this.options.log.info('innovaphone RCC initialized', { visibleUsers: this.directory.size });
    this.initialized = true;
    this.reconcile();
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const monitored = this.monitored;
    if (!monitored) throw new PbxError('offline', this.offlineReason());
    const src = this.nextSrc('dial');
    // The command goes out first, the bookkeeping follows in the same task: no result can be read before it.
    const attempt = this.options.connection.request(
      { api: 'RCC', mt: 'UserCall', user: monitored.handle, ...destinationOf(number), src },
      this.options.dialTimeoutMs,
    );
    this.calls.dialStarted();
    // The Bridge stopped waiting: a UserCallResult that still comes clears the call (onLateDialResult).
    const abandon = (): void => void this.abandonedDials.add(src);
    signal.addEventListener('abort', abandon, { once: true });
    this.pendingDials.add(attempt);
    let result: WireMessage;
    try {
      result = await attempt;
    } catch (error) {
      this.calls.dialSettled();
      if (error instanceof RequestTimeoutError) {
        this.abandonedDials.add(src);
        throw new PbxError(
          'timeout',
          `The PBX did not answer the dial request within ${this.options.dialTimeoutMs} ms`,
        );
      }
      throw new PbxError('offline', 'The connection to the PBX was lost while dialling');
    } finally {
      this.pendingDials.delete(attempt);
      signal.removeEventListener('abort', abandon);
    }
    const handle = asInt(result.call) ?? 0;
    if (handle === 0) {
      this.calls.dialSettled();
      throw new PbxError(
        'rejected',
        `The PBX refused the call to ${number} (no call handle). Check the number, and that "${monitored.cn}" has a registered phone allowed to call it.`,
      );
    }
    if (signal.aborted) {
      // Accepted after the Bridge told the operator the dial failed: never leave it running untracked.
      this.abandonedDials.delete(src);
      this.clearHandle(handle);
      throw new PbxError('timeout', 'The PBX accepted the call too late; it was hung up');
    }
    this.calls.dialAccepted(handle, number, callId);
  }

  /** UserClear for one call, or for every live call (after any dial in flight has settled). */
  async hangup(callId?: string): Promise<void> {
    let targets: TrackedCall[];
    if (callId === undefined) {
      await Promise.allSettled([...this.pendingDials]);
      targets = this.calls.live();
    } else {
      const call = this.calls.byId(callId);
      if (!call) throw new PbxError('not-found', 'That call has already ended');
      targets = [call];
    }
    await Promise.all(targets.map((call) => this.clear(call)));
  }

  /** UserEnd for the monitored user, waiting at most `timeoutMs` for the result. */
  async end(timeoutMs: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const monitored = this.monitored;
    this.monitored = null;
    if (!monitored || !this.options.connection.isOpen) return;
    await this.options.connection
      .request({ api: 'RCC', mt: 'UserEnd', user: monitored.handle, src: this.nextSrc('end') }, timeoutMs)
      .catch(() => undefined);
  }

  /** The connection is gone: end every call with `outcome` and ignore anything that still arrives. */
  dispose(detail: string): void {
    this.ended = true;
    this.monitored = null;
    this.calls.dispose('link-lost', detail);
  }

  private async clear(call: TrackedCall): Promise<void> {
    this.calls.markClearing(call);
    let result: WireMessage;
    try {
      result = await this.options.connection.request(
        {
          api: 'RCC',
          mt: 'UserClear',
          call: call.handle,
          cause: this.options.clearCause,
          src: this.nextSrc('clear'),
        },
        this.options.requestTimeoutMs,
      );
    } catch (error) {
      if (error instanceof RequestTimeoutError) {
        throw new PbxError('timeout', 'The PBX did not confirm the hang-up in time');
      }
      throw new PbxError('offline', 'The connection to the PBX was lost while hanging up');
    }
    // UserClearResult fields are undocumented; an `error` string is the generic RCC failure shape (inferred).
    if (typeof result.error === 'string' && result.error) {
      throw new PbxError('rejected', `The PBX refused to hang up: ${result.error}`);
    }
  }

  private onMessage(message: WireMessage): void {
    if (this.ended || (message.api !== undefined && message.api !== 'RCC')) return;
    switch (message.mt) {
      case 'UserInfo':
        // From the PBX, UserInfo is always the user indication (the request of that name goes the other way).
        this.directory.apply(readUserInfo(message));
        this.reconcile();
        return;
      case 'CallInfo':
        this.onCallInfo(message);
        return;
      case 'UserCallResult':
        this.onLateDialResult(message);
        return;
      default:
        this.options.log.debug('innovaphone message not handled', { mt: message.mt });
    }
  }

  private onCallInfo(message: WireMessage): void {
    const info = readCallInfo(message);
    if (!info) return;
    if (this.monitoring) {
      this.waitingCallInfo.push(info);
      return;
    }
    const monitored = this.monitored;
    // CallInfo carries the user handle, and the UserInitialize src; either identifies our user.
    const ours =
      monitored && (info.user !== undefined ? info.user === monitored.handle : message.src === monitored.src);
    if (!ours) {
      this.options.log.debug('innovaphone CallInfo for another user handle ignored', { user: info.user });
      return;
    }
    this.calls.onCallInfo(info);
  }

  /** A UserCallResult after our dial gave up: the operator was told it failed, so clear the call. */
  private onLateDialResult(message: WireMessage): void {
    const src = typeof message.src === 'string' ? message.src : '';
    if (!this.abandonedDials.delete(src)) return;
    const handle = asInt(message.call) ?? 0;
    if (handle === 0) return;
    this.options.log.warn(
      'innovaphone late dial result: clearing the call the operator was told had failed',
      {
        call: handle,
      },
    );
    this.clearHandle(handle);
  }

  private clearHandle(handle: number): void {
    this.options.connection.send({
      api: 'RCC',
      mt: 'UserClear',
      call: handle,
      cause: this.options.clearCause,
      src: this.nextSrc('clear'),
    });
  }

  /** Brings monitoring in line with the user list: start, keep, or drop the operator's user. */
  private reconcile(): void {
    if (!this.initialized || this.ended || this.monitoring) return;
    const target = this.directory.find(this.options.user);
    if (this.monitored) {
      if (target?.key === this.monitored.key) return;
      this.loseUser(this.monitored);
    }
    if (target) void this.monitor(target);
    else this.options.onStatus({ monitoring: false, reason: this.offlineReason() });
  }

  private async monitor(target: DirectoryUser): Promise<void> {
    this.monitoring = true;
    const src = this.nextSrc('user');
    try {
      const result = await this.options.connection.request(
        { api: 'RCC', mt: 'UserInitialize', cn: target.cn, src },
        this.options.requestTimeoutMs,
      );
      const handle = asInt(result.user) ?? 0;
      if (handle === 0) throw new Error(`The PBX gave no monitoring handle for user "${target.cn}"`);
      if (this.ended) return;
      this.monitored = { key: target.key, cn: target.cn, handle, src };
      this.lossReason = null;
      this.options.log.info('innovaphone monitoring the operator user', { cn: target.cn, user: handle });
      this.options.onStatus({
        monitoring: true,
        detail: `Monitoring "${target.cn}"${target.e164 ? ` (${target.e164})` : ''} via App "${this.options.app}"`,
      });
    } catch (error) {
      if (!this.ended) {
        const reason =
          error instanceof RequestTimeoutError ? 'The PBX did not answer UserInitialize' : String(error);
        this.options.onFatal(reason.replace(/^Error: /, ''));
      }
    } finally {
      this.monitoring = false;
      const waiting = this.waitingCallInfo;
      this.waitingCallInfo = [];
      for (const info of waiting) {
        if (this.monitored && (info.user === undefined || info.user === this.monitored.handle)) {
          this.calls.onCallInfo(info);
        }
      }
    }
    // The user list may have changed while UserInitialize was in flight.
    this.reconcile();
  }

  /** The operator's user was deleted, renamed or hidden: stop monitoring it and say why. */
  private loseUser(monitored: MonitoredUser): void {
    const now = this.directory.get(monitored.key);
    this.lossReason = now
      ? `The PBX user "${monitored.cn}" was renamed to "${now.cn}". Set the profile's user to the new Long Name.`
      : `The PBX user "${monitored.cn}" was deleted or is no longer visible to App object "${this.options.app}".`;
    this.options.log.warn('innovaphone operator user lost', { cn: monitored.cn, reason: this.lossReason });
    this.monitored = null;
    this.calls.endAll('link-lost', this.lossReason);
    this.options.connection.send({
      api: 'RCC',
      mt: 'UserEnd',
      user: monitored.handle,
      src: this.nextSrc('end'),
    });
  }

  private offlineReason(): string {
    if (this.lossReason) return this.lossReason;
    if (!this.initialized) return 'Not connected to the PBX yet';
    return (
      `The PBX user "${this.options.user}" is not visible to App object "${this.options.app}" ` +
      `(${this.directory.size} user${this.directory.size === 1 ? '' : 's'} visible). On the PBX, assign the App ` +
      `"${this.options.app}" to that user (user → Apps) and make sure the App object has RCC ticked; ` +
      'the Long Name (cn) must match the profile exactly.'
    );
  }

  private nextSrc(kind: string): string {
    this.sequence += 1;
    return `${kind}-${this.sequence}`;
  }
}

/** Numbers go as `e164`; SIP URIs and names as `h323` (RCC has no `sip` field). */
export function destinationOf(number: string): { e164: string } | { h323: string } {
  const trimmed = number.trim();
  if (/^\+?[0-9*#]+$/.test(trimmed)) return { e164: trimmed };
  return { h323: trimmed.replace(/^sips?:/i, '') };
}
