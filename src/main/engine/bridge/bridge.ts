import { isDeepStrictEqual } from 'node:util';
import type {
  BridgeNotice,
  BridgeSnapshot,
  CallLogEntry,
  CallView,
  LinkState,
  PatriotCallStatus,
  PatriotView,
  ProfileSummary,
} from '../../../shared/bridge-types';
import { CALL_OUTCOME_TEXT, isFailedOutcome } from '../../../shared/call-outcome-text';
import type { BridgeConfig, ProfileConfig } from '../config/schema';
import type { Logger } from '../log/logger';
import { PbxError, type AdapterContext, type PbxAdapter, type PbxCallEvent } from '../pbx/adapter';
import type {
  CreatePatriotEndpoint,
  PatriotEndpoint,
  PatriotEndpointTimings,
  PatriotRequestHandler,
} from '../patriot/endpoint';
import { settlesWithin } from '../pbx/common/settle';
import { callIdSource } from './call-ids';
import { CallLog, toCallLogEntry } from './call-log';
import { carryCallLog } from './carry-call-log';
import { lockDataDir } from './data-dir-lock';
import type { ActionOutcome, BridgeController, BridgeListeners, PatriotSetupInfo } from './controller';
import { Dialer } from './dialer';
import { OperatorCalls } from './operator-calls';
import { PatriotOutbox } from './patriot-outbox';

export type ResolvedConfig = BridgeConfig & { dataDir: string };

export interface BridgeDeps {
  log: Logger;
  createEndpoint: CreatePatriotEndpoint;
  createAdapter: (profile: ProfileConfig, ctx: AdapterContext) => PbxAdapter;
  now?: () => number;
  /** Shorter Patriot endpoint timings (tests). */
  patriotTimings?: PatriotEndpointTimings;
}

interface ActiveAdapter {
  profile: ProfileConfig;
  adapter: PbxAdapter;
  link: LinkState;
}

const STOPPED_PATRIOT: LinkState = { status: 'stopped' };

/** On stop or profile switch, how long the PBX gets to hang up the operator's live calls. */
const HANGUP_ON_STOP_MS = 2_000;

/**
 * The engine: one Patriot endpoint, one active PBX adapter, the operator's call state between them.
 * Patriot requests and window actions take the same path (dial / hangup below).
 */
export class Bridge implements BridgeController {
  private config: ResolvedConfig;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly calls: OperatorCalls;
  private callLog: CallLog;
  private readonly listeners = new Set<Partial<BridgeListeners>>();
  private endpoint: PatriotEndpoint | null = null;
  private active: ActiveAdapter | null = null;
  private readonly dialer: Dialer;
  private readonly newCallId = callIdSource();
  private lastSent: PatriotCallStatus | null = null;
  /** Patriot hears a call's end only once its call-log line is on the disk. */
  private readonly outbox: PatriotOutbox;
  private lastNotice: BridgeNotice | null = null;
  private lastEndedCall: CallView | null = null;
  private stopped = false;
  private unlockDataDir: (() => Promise<void>) | null = null;

  /** What the Patriot endpoint calls: the same paths as the window's actions. */
  private readonly patriotHandler: PatriotRequestHandler = {
    dial: (request, peer) => void this.dialer.dial(request.phoneNo, 'patriot', peer.label),
    hangup: (peer) => void this.hangup(`patriot ${peer.label}`),
    // What Patriot was last told: a status still waiting for the call log's disk is not told early.
    currentStatus: () => this.outbox.told ?? this.calls.patriotStatus(),
    viewChanged: () => this.emitSnapshot(),
    authFailed: (peer, reason) =>
      this.notify(
        'warning',
        'patriot-auth-failed',
        `Patriot connection ${peer.label} was refused: ${reason}`,
      ),
  };

  constructor(
    config: ResolvedConfig,
    private readonly deps: BridgeDeps,
  ) {
    this.config = config;
    this.log = deps.log.child({ component: 'bridge' });
    this.now = deps.now ?? Date.now;
    this.calls = new OperatorCalls(this.now);
    this.callLog = this.openCallLog(config);
    this.outbox = new PatriotOutbox((status) => this.endpoint?.broadcast(status), this.log);
    this.dialer = new Dialer({
      log: this.log,
      calls: this.calls,
      now: this.now,
      newCallId: this.newCallId,
      dialing: () => this.config.dialing,
      profile: () => this.profileById(this.config.activeProfile),
      onlineAdapter: () => {
        const active = this.active;
        return active && active.link.status === 'online'
          ? { adapter: active.adapter }
          : { adapter: null, reason: describeLink(active?.link) };
      },
      hangupAll: (source) => this.hangupAll(source),
      ended: (call, notice) => {
        this.recordEnded(call);
        if (notice) this.notify('error', 'dial-failed', notice);
      },
      notice: (message) => this.notify('error', 'dial-failed', message),
      publish: (force) => this.publishStatus(force),
      snapshotChanged: () => this.emitSnapshot(),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    // Before anything reads or generates files in dataDir (certificate, key, call log).
    this.unlockDataDir ??= await lockDataDir(this.config.dataDir);
    this.endpoint = await this.deps.createEndpoint(this.config.patriot, {
      dataDir: this.config.dataDir,
      handler: this.patriotHandler,
      log: this.deps.log,
      timings: this.deps.patriotTimings,
    });
    await this.endpoint.start();
    this.startAdapter(this.profileById(this.config.activeProfile));
    this.log.info('bridge started', {
      patriotMode: this.config.patriot.mode,
      endpoint: this.endpoint.view().endpoint,
      profile: this.config.activeProfile,
      callLog: this.callLog.path,
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.stopAdapter('the bridge stopped');
    // Patriot hears how the calls ended before its connections close.
    await this.patriotTold();
    await this.endpoint?.stop();
    await this.callLog.close();
    await this.unlockDataDir?.();
    this.unlockDataDir = null;
    this.log.info('bridge stopped');
  }

  /** Resolves once Patriot was sent every status decided so far (some wait for the call log's disk). */
  patriotTold(): Promise<void> {
    return this.outbox.drained();
  }

  subscribe(listeners: Partial<BridgeListeners>): () => void {
    this.listeners.add(listeners);
    return () => this.listeners.delete(listeners);
  }

  snapshot(): BridgeSnapshot {
    const profile = this.profileById(this.config.activeProfile);
    return {
      patriot: this.endpoint?.view() ?? this.idlePatriotView(),
      pbx: {
        profile: summarise(profile),
        link: this.active?.link ?? { status: 'stopped' },
        warnings: this.active?.adapter.warnings() ?? [],
      },
      profiles: this.config.profiles.map(summarise),
      activeProfileId: this.config.activeProfile,
      calls: this.calls.list(),
      lastEndedCall: this.lastEndedCall,
      patriotStatus: this.calls.patriotStatus(),
      lastNotice: this.lastNotice,
      callLogProblem: this.callLog.problem,
    };
  }

  patriotSetup(): PatriotSetupInfo {
    return (
      this.endpoint?.setup() ?? {
        mode: this.config.patriot.mode,
        url: null,
        apiKeyFile: null,
        certificateFingerprint256: null,
        certificateFile: null,
      }
    );
  }

  recentCalls(limit: number): Promise<CallLogEntry[]> {
    return this.callLog.recent(Math.max(0, Math.min(limit, 1_000)));
  }

  // ---- Operator actions (the window's and Patriot's) --------------------------------------------

  dial(number: string, source = 'window'): Promise<ActionOutcome> {
    return this.dialer.dial(number, source);
  }

  hangup(source = 'window'): Promise<ActionOutcome> {
    return this.hangupAll(source);
  }

  retryPbx(): ActionOutcome {
    const active = this.active;
    if (!active) return { ok: false, message: 'No PBX profile is running' };
    if (active.link.status === 'online') return { ok: true };
    if (!active.adapter.retryNow) return { ok: false, message: 'This PBX type reconnects by itself' };
    this.log.info('PBX retry requested by the user', { profile: active.profile.id });
    active.adapter.retryNow();
    return { ok: true };
  }

  async switchProfile(profileId: string): Promise<ActionOutcome> {
    const profile = this.config.profiles.find((p) => p.id === profileId);
    if (!profile) return { ok: false, message: `There is no profile "${profileId}"` };
    if (profileId === this.config.activeProfile && this.active) return { ok: true };
    this.log.info('switching profile', { from: this.config.activeProfile, to: profileId });
    await this.stopAdapter(`switched to profile ${profile.name}`);
    this.config = { ...this.config, activeProfile: profileId };
    if (!this.stopped) this.startAdapter(profile);
    this.emitSnapshot();
    return { ok: true };
  }

  async reconfigure(config: ResolvedConfig): Promise<void> {
    const previous = this.config;
    this.config = config;
    if (!isDeepStrictEqual(previous.dialing, config.dialing)) this.dialer.reconfigure();
    const movedData = previous.dataDir !== config.dataDir;
    if (movedData && this.unlockDataDir) {
      const unlockPrevious = this.unlockDataDir;
      this.unlockDataDir = await lockDataDir(config.dataDir);
      await unlockPrevious();
    }
    if (movedData || previous.callLog.maxBytes !== config.callLog.maxBytes) {
      await this.callLog.close();
      const from = this.callLog.path;
      this.callLog = this.openCallLog(config);
      if (movedData) await carryCallLog(from, this.callLog.path, this.log);
    }
    const patriotChanged = !isDeepStrictEqual(previous.patriot, config.patriot) || movedData;
    if (patriotChanged && this.endpoint && !this.stopped) {
      this.log.info('Patriot settings changed: restarting the Patriot endpoint');
      await this.endpoint.stop();
      this.endpoint = await this.deps.createEndpoint(config.patriot, {
        dataDir: config.dataDir,
        handler: this.patriotHandler,
        log: this.deps.log,
        timings: this.deps.patriotTimings,
      });
      await this.endpoint.start();
    }
    const profile = this.profileById(config.activeProfile);
    if (!this.stopped && (!this.active || !isDeepStrictEqual(this.active.profile, profile))) {
      await this.stopAdapter('the profile settings changed');
      this.startAdapter(profile);
    }
    this.emitSnapshot();
  }

  /**
   * Hangs up every live call. A dial still being placed is abandoned (the adapter hangs up a late
   * accept); a call the PBX no longer knows ends here. Either way the Bridge is idle afterwards, unless
   * the PBX refused or did not answer the hang-up of a call it still has.
   */
  private async hangupAll(source: string): Promise<ActionOutcome> {
    this.log.info('hang-up requested', { source, liveCalls: this.calls.size });
    const active = this.active;
    const live = this.calls.list();
    const results = await Promise.all(live.map((call) => this.hangupOne(active, call.id)));
    // With nothing to hang up, Patriot still hears where the line stands.
    this.publishStatus(live.length === 0);
    const failure = results.find((result) => !result.ok);
    if (failure && !failure.ok) this.notify('error', 'other', `Hang-up failed: ${failure.message}`);
    return failure ?? { ok: true };
  }

  private async hangupOne(active: ActiveAdapter | null, callId: string): Promise<ActionOutcome> {
    if (this.dialer.isPlacing(callId)) {
      this.dialer.abandon(callId, 'cancelled', 'hung up before the PBX accepted the call');
      return { ok: true };
    }
    if (!active) {
      this.endLocally(callId, 'cancelled', 'no PBX profile is running');
      return { ok: true };
    }
    try {
      await active.adapter.hangup(callId);
      return { ok: true };
    } catch (error) {
      if (error instanceof PbxError && (error.code === 'not-found' || error.code === 'offline')) {
        this.endLocally(callId, 'completed', `The PBX no longer has this call (${error.message})`);
        return { ok: true };
      }
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private endLocally(callId: string, outcome: 'completed' | 'cancelled', detail: string): void {
    const ended = this.calls.finish(callId, outcome, detail);
    if (ended) this.recordEnded(ended);
  }

  // ---- Adapter lifecycle ------------------------------------------------------------------------

  private startAdapter(profile: ProfileConfig): void {
    const log = this.deps.log.child({ component: 'pbx', profile: profile.id, pbx: profile.type });
    let current: ActiveAdapter | null = null;
    const adapter = this.deps.createAdapter(profile, {
      log,
      newCallId: this.newCallId,
      events: {
        link: (state) => {
          if (current && this.active === current) this.onLink(current, state);
        },
        call: (event) => {
          if (current && this.active === current) this.onCall(current, event);
        },
      },
    });
    current = { profile, adapter, link: adapter.link };
    this.active = current;
    for (const warning of adapter.warnings()) log.warn(warning);
    adapter.start();
    this.emitSnapshot();
  }

  /** Hangs up the operator's live calls (bounded wait), then logs out and closes the adapter. */
  private async stopAdapter(reason: string): Promise<void> {
    const active = this.active;
    if (!active) return;
    if (this.calls.size > 0 && active.link.status === 'online') {
      const hungUp = await settlesWithin(this.hangupAll(reason), HANGUP_ON_STOP_MS);
      if (!hungUp) this.log.warn('the PBX did not confirm the hang-up in time; logging out anyway');
    }
    this.active = null;
    this.endCalls('link-lost', reason);
    try {
      await active.adapter.stop();
    } catch (error) {
      this.log.warn('the PBX adapter did not stop cleanly', { error });
    }
  }

  private onLink(active: ActiveAdapter, state: LinkState): void {
    const previous = active.link;
    active.link = state;
    this.log.info('PBX link', { profile: active.profile.id, status: state.status, ...linkFields(state) });
    if (state.status !== 'online' && state.status !== 'connecting') {
      this.endCalls('link-lost', `PBX link ${state.status}`);
    }
    if (state.status === 'auth-failed' && previous.status !== 'auth-failed') {
      this.notify('error', 'pbx-auth-failed', `${active.profile.name}: login failed — ${state.reason}`);
    } else if (state.status === 'offline' && previous.status === 'online') {
      this.notify('warning', 'pbx-offline', `${active.profile.name} is offline — ${state.reason}`);
    }
    this.emitSnapshot();
  }

  private onCall(active: ActiveAdapter, event: PbxCallEvent): void {
    const { changed, ended } = this.calls.apply(event, active.profile.id);
    if (!changed) {
      this.log.debug('call event without change', { callId: event.callId, kind: event.kind });
      return;
    }
    // The call-log line first: Patriot's status waits for it to be durable (a few hundred µs), so the
    // write starts now. A dial that ended before Patriot heard it active (an instant busy) still gets its
    // callActive:false.
    if (ended) this.recordEnded(ended);
    this.sendStatus(ended !== null && ended.source !== undefined);
    this.log.info(`call ${event.kind}`, { callId: event.callId, ...callFields(event) });
    if (event.kind === 'ringing' && event.direction === 'inbound') {
      this.notify('info', 'inbound-call', `Incoming call from ${event.remoteNumber ?? 'an unknown number'}`);
    }
    if (ended) {
      if (
        ended.direction === 'outbound' &&
        ended.outcome &&
        isFailedOutcome(ended.outcome) &&
        ended.connectedAt === null
      ) {
        const why = CALL_OUTCOME_TEXT[ended.outcome] + (ended.detail ? ` (${ended.detail})` : '');
        this.notify('warning', 'dial-failed', `Call to ${ended.remoteNumber ?? 'unknown'}: ${why}`);
      }
    }
    this.emitSnapshot();
  }

  private endCalls(outcome: 'link-lost', detail: string): void {
    const ended = this.calls.endAll(outcome, detail);
    if (ended.length === 0) return;
    for (const call of ended) this.recordEnded(call);
    this.publishStatus();
  }

  /** The call log, whose write failures reach the operator as a notice (once per failure spell). */
  private openCallLog(config: ResolvedConfig): CallLog {
    const callLog = new CallLog(config.dataDir, config.callLog.maxBytes, this.log);
    callLog.onProblem((problem) => {
      if (callLog !== this.callLog) return;
      if (problem !== null) {
        this.notify('error', 'other', `The call log cannot be written (${callLog.path}): ${problem}`);
      }
      // The window and tray keep showing it (snapshot.callLogProblem) until writing works again.
      this.emitSnapshot();
    });
    return callLog;
  }

  /** Why the call log cannot be written right now; null while it can. */
  get callLogProblem(): string | null {
    return this.callLog.problem;
  }

  /**
   * An ended call goes to the call log and stays visible as the last ended call. Statuses decided from
   * here on reach Patriot once its line is durable.
   */
  private recordEnded(call: CallView): void {
    this.lastEndedCall = call;
    this.outbox.holdUntilWritten(this.callLog.append(toCallLogEntry(call)));
  }

  // ---- Output -----------------------------------------------------------------------------------

  /** Sends call-status-update when Patriot's view changed (or always, when `force`). */
  private publishStatus(force = false): void {
    this.sendStatus(force);
    this.emitSnapshot();
  }

  private sendStatus(force: boolean): void {
    const status = this.calls.patriotStatus();
    if (force || !isDeepStrictEqual(status, this.lastSent)) {
      this.lastSent = status;
      this.outbox.push(status);
    }
  }

  private notify(level: BridgeNotice['level'], kind: BridgeNotice['kind'], message: string): void {
    const notice: BridgeNotice = { at: this.now(), level, kind, message };
    this.lastNotice = notice;
    this.log[level === 'info' ? 'info' : level === 'warning' ? 'warn' : 'error'](message, { notice: kind });
    for (const listener of this.listeners) listener.notice?.(notice);
  }

  private emitSnapshot(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener.snapshot?.(snapshot);
  }

  private profileById(id: string): ProfileConfig {
    const profile = this.config.profiles.find((p) => p.id === id);
    if (!profile) throw new Error(`There is no profile "${id}"`);
    return profile;
  }

  private idlePatriotView(): PatriotView {
    return { mode: this.config.patriot.mode, endpoint: '', link: STOPPED_PATRIOT, peers: [] };
  }
}

function summarise(profile: ProfileConfig): ProfileSummary {
  return { id: profile.id, name: profile.name, type: profile.type };
}

export function describeLink(link: LinkState | undefined): string {
  if (!link) return 'no profile is running';
  switch (link.status) {
    case 'online':
      return 'online';
    case 'connecting':
      return link.lastError ? `connecting — last error: ${link.lastError}` : 'connecting';
    case 'offline':
      return `offline — ${link.reason}`;
    case 'auth-failed':
      return `login failed — ${link.reason}`;
    case 'stopped':
      return 'stopped';
  }
}

function linkFields(state: LinkState): Record<string, unknown> {
  const { status: _status, ...rest } = state;
  return rest;
}

function callFields(event: PbxCallEvent): Record<string, unknown> {
  return event.kind === 'ended'
    ? { outcome: event.outcome, detail: event.detail }
    : { direction: event.direction, number: event.remoteNumber };
}
