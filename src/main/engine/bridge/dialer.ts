import type { CallOutcome, CallView } from '../../../shared/bridge-types';
import type { DialingConfig, ProfileConfig } from '../config/schema';
import type { Logger } from '../log/logger';
import { PbxError, type PbxAdapter } from '../pbx/adapter';
import type { ActionOutcome } from './controller';
import { DialRateLimit } from './dial-rate-limit';
import { applyDialRules } from './dial-rules';
import type { OperatorCalls } from './operator-calls';

/** What the dial path needs from the Bridge. */
export interface DialHost {
  log: Logger;
  calls: OperatorCalls;
  now(): number;
  newCallId(): string;
  dialing(): DialingConfig;
  profile(): ProfileConfig;
  /** The running adapter, with its link online; null otherwise (with the reason). */
  onlineAdapter(): { adapter: PbxAdapter } | { adapter: null; reason: string };
  hangupAll(source: string): Promise<ActionOutcome>;
  /** An ended call (failed, refused): call log, window, Patriot status. */
  ended(call: CallView, notice: string | null): void;
  /** A notice for the operator that goes with no call-log entry. */
  notice(message: string): void;
  /** Patriot's status changed (or must be repeated). */
  publish(force: boolean): void;
  snapshotChanged(): void;
}

/** Who asked for a dial, and what. */
interface Asked {
  number: string;
  profileId: string;
  source: string;
  peer: string | undefined;
}

interface InFlight {
  number: string;
  at: number;
  controller: AbortController;
  done: Promise<ActionOutcome>;
}

/**
 * One dial, from the operator's request to the PBX's answer. The Bridge's id names the call from the
 * start, so an `ended` that beats the PBX's reply simply finishes it. A repeat of the same number is the
 * same call only while the first dial is still being placed; after that every dial is a new call.
 */
export class Dialer {
  private readonly inFlight = new Map<string, InFlight>();
  private rateLimit: DialRateLimit;

  constructor(private readonly host: DialHost) {
    this.rateLimit = new DialRateLimit(host.dialing().rateLimit, host.now);
  }

  /** The dialing settings changed. */
  reconfigure(): void {
    this.rateLimit = new DialRateLimit(this.host.dialing().rateLimit, this.host.now);
  }

  isPlacing(callId: string): boolean {
    return this.inFlight.has(callId);
  }

  /** The operator hung up (or the profile stops) while the PBX is still placing the call. */
  abandon(callId: string, outcome: CallOutcome, detail: string): void {
    const flight = this.inFlight.get(callId);
    if (!flight) return;
    this.inFlight.delete(callId);
    flight.controller.abort();
    const ended = this.host.calls.finish(callId, outcome, detail);
    if (ended) this.host.ended(ended, null);
  }

  /** `source`: who asked ("patriot", "window", "tel-link"…), kept in the call log; `peer` names a Patriot connection. */
  async dial(rawNumber: string, source: string, peer?: string): Promise<ActionOutcome> {
    const { host } = this;
    const dialing = host.dialing();
    const profile = host.profile();
    const now = host.now();

    for (const [callId, flight] of this.inFlight) {
      // Only while that call is still being placed: once it ended (even before the PBX's reply), a dial is new.
      if (
        flight.number === rawNumber &&
        now - flight.at < dialing.duplicateWindowMs &&
        host.calls.has(callId)
      ) {
        host.log.info('repeated dial-request while the first is being placed: same call', {
          number: rawNumber,
          source,
        });
        return flight.done;
      }
    }

    const asked: Asked = { number: rawNumber, profileId: profile.id, source, peer };
    if (!this.rateLimit.take()) {
      const reason = `Too many dials (${this.rateLimit.describe()}); this one was not placed`;
      // A flood writes one call-log entry, not one per refused dial.
      return this.refuse(asked, reason, 'rejected', this.rateLimit.refusedInARow === 1);
    }

    const decision = applyDialRules(rawNumber, profile.dialRules);
    if (!decision.ok) return this.refuse(asked, decision.reason, decision.outcome);

    if (host.calls.size > 0) {
      if (dialing.whileActive === 'reject') {
        return this.refuse(asked, 'A call is already in progress: hang up first', 'rejected');
      }
      await host.hangupAll(`replaced by a dial to ${rawNumber}`);
    }

    const online = host.onlineAdapter();
    if (!online.adapter) {
      return this.refuse(asked, `The PBX is not connected (${online.reason})`, 'failed');
    }

    const callId = host.newCallId();
    const controller = new AbortController();
    host.calls.beginDial(callId, profile.id, rawNumber, source);
    // The PBX command goes out first; logging and the window's update follow (latency: see npm run bench).
    const placed = online.adapter.dial(callId, decision.number, controller.signal);
    const done = this.await(callId, rawNumber, placed, controller, dialing.acceptTimeoutMs);
    this.inFlight.set(callId, { number: rawNumber, at: now, controller, done });
    host.log.info('dial sent to the PBX', {
      callId,
      number: rawNumber,
      dialled: decision.number,
      source,
      peer,
      profile: profile.id,
    });
    host.snapshotChanged();
    return done;
  }

  private async await(
    callId: string,
    rawNumber: string,
    placed: Promise<void>,
    controller: AbortController,
    timeoutMs: number,
  ): Promise<ActionOutcome> {
    const { host } = this;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    let failure: string | null = null;
    try {
      const result = await Promise.race([placed.then(() => 'placed' as const), timedOut]);
      if (result === 'timeout') {
        // The adapter hangs up a call the PBX still places after this (the signal).
        controller.abort();
        failure = `The PBX did not accept the call within ${timeoutMs} ms`;
      }
    } catch (error) {
      failure =
        error instanceof PbxError
          ? error.message
          : `Dial failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      clearTimeout(timer);
      placed.catch(() => undefined);
    }
    if (!this.inFlight.delete(callId)) {
      // Abandoned meanwhile (hung up, profile switched): already finished.
      return { ok: true };
    }
    if (failure === null) {
      if (host.calls.acceptDial(callId)) {
        host.log.info('dial accepted by the PBX', { callId });
        host.publish(false);
      }
      // else: the PBX ended the call before its reply (instant busy): the end was already reported.
      return { ok: true };
    }
    const ended = host.calls.finish(callId, 'failed', failure);
    if (ended) host.ended(ended, `Call to ${rawNumber} failed: ${failure}`);
    host.publish(true);
    return { ok: false, message: failure };
  }

  private refuse(asked: Asked, reason: string, outcome: CallOutcome, record = true): ActionOutcome {
    const { host } = this;
    const { number, profileId, source, peer } = asked;
    const stamp = host.now();
    const call: CallView = {
      id: `refused${stamp.toString(36)}${host.newCallId()}`,
      profileId,
      direction: 'outbound',
      phase: 'ended',
      remoteNumber: number,
      startedAt: stamp,
      connectedAt: null,
      endedAt: stamp,
      outcome,
      detail: reason,
      source,
    };
    host.log.info('dial refused', { number, reason, profile: profileId, source, peer });
    const notice = `Call to ${number} not placed: ${reason}`;
    if (record) host.ended(call, notice);
    else host.notice(notice);
    host.publish(true);
    return { ok: false, message: reason };
  }
}
