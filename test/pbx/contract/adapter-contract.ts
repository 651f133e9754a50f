// One suite of the adapter contract (src/main/engine/pbx/adapter.ts), run against every adapter over
// real sockets with its simulator. Each PBX supplies a ContractRig; the suite never looks inside it.
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkState } from '../../../src/shared/bridge-types';
import {
  PbxError,
  type AdapterContext,
  type PbxAdapter,
  type PbxCallEvent,
} from '../../../src/main/engine/pbx/adapter';
import { testCallId } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';

export interface ContractRig {
  adapter: PbxAdapter;
  /** A number the far end answers; the call stays up until hung up. */
  answered: string;
  /** A number the PBX ends at once (busy), in the same read as its accept where the PBX can. */
  instantBusy: string;
  /** Live calls at the PBX (any user). */
  callsAtPbx(): number;
  /** The PBX answers the next dials only after `ms` (a late accept). */
  delayAccept(ms: number): void;
  /** Cut every connection without a word. */
  drop(): void;
  /** A call between two other users of the PBX, which the operator must never see. */
  foreignCall(): void;
  stop(): Promise<void>;
}

/** What a rig builder gets: the context to build the adapter with (events are recorded by the suite). */
export type MakeRig = (ctx: AdapterContext) => Promise<ContractRig>;

export function adapterContract(pbx: string, makeRig: MakeRig): void {
  describe(`adapter contract: ${pbx}`, () => {
    let rig: ContractRig | null = null;
    let events: PbxCallEvent[] = [];
    let links: LinkState[] = [];

    afterEach(async () => {
      await rig?.stop();
      rig = null;
    });

    async function start(): Promise<ContractRig> {
      events = [];
      links = [];
      const ctx: AdapterContext = {
        log: (await import('../../../src/main/engine/log/logger')).silentLogger,
        newCallId: testCallId,
        events: { link: (state) => links.push(state), call: (event) => events.push(event) },
      };
      rig = await makeRig(ctx);
      rig.adapter.start();
      await waitFor(() => rig!.adapter.link.status === 'online', `${pbx} online`);
      return rig;
    }

    const of = (callId: string) => events.filter((e) => e.callId === callId);

    /** Events of one call are ordered: never anything after `ended`, `ended` at most once. */
    function expectWellFormed(callId: string): void {
      const kinds = of(callId).map((e) => e.kind);
      const end = kinds.indexOf('ended');
      if (end >= 0) expect(kinds.slice(end + 1), `events after the end of ${callId}`).toEqual([]);
    }

    it('fails fast with a PbxError when not logged in; hangup with no call is a no-op', async () => {
      const r = await start();
      await r.adapter.stop();
      const error = await r.adapter
        .dial(testCallId(), r.answered, new AbortController().signal)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PbxError);
      expect(['offline', 'auth-failed']).toContain((error as PbxError).code);
      await expect(r.adapter.hangup()).resolves.toBeUndefined();
    });

    it('hangup with no live call resolves; an unknown call resolves or says not-found', async () => {
      const r = await start();
      await expect(r.adapter.hangup()).resolves.toBeUndefined();
      const unknown = await r.adapter.hangup(testCallId()).then(
        () => 'resolved',
        (e: unknown) => (e instanceof PbxError ? e.code : String(e)),
      );
      expect(['resolved', 'not-found']).toContain(unknown);
    });

    it("a dialled call's events carry the Bridge's id from the first one; hangup ends it at the PBX", async () => {
      const r = await start();
      const callId = testCallId();
      await r.adapter.dial(callId, r.answered, new AbortController().signal);
      await waitFor(() => of(callId).some((e) => e.kind === 'connected'), 'the call connected');
      expect(of(callId)[0]).toMatchObject({ direction: 'outbound' });
      await r.adapter.hangup(callId);
      await waitFor(() => of(callId).some((e) => e.kind === 'ended'), 'the call ended');
      await waitFor(() => r.callsAtPbx() === 0, 'no call left at the PBX');
      expectWellFormed(callId);
      // Every event the adapter sent was about this call: none under another id.
      expect(events.filter((e) => e.callId !== callId)).toEqual([]);
    });

    it('an instant busy ends the call under its id, and the same number redialled at once is a new call', async () => {
      const r = await start();
      const first = testCallId();
      await r.adapter.dial(first, r.instantBusy, new AbortController().signal).catch(() => undefined);
      await waitFor(() => of(first).some((e) => e.kind === 'ended'), 'the busy end');
      expect(of(first).find((e) => e.kind === 'ended')).toMatchObject({
        outcome: expect.stringMatching(/busy|failed/),
      });
      const second = testCallId();
      await r.adapter.dial(second, r.instantBusy, new AbortController().signal).catch(() => undefined);
      await waitFor(() => of(second).some((e) => e.kind === 'ended'), 'the second busy end');
      expectWellFormed(first);
      expectWellFormed(second);
      await waitFor(() => r.callsAtPbx() === 0, 'no call left at the PBX');
    });

    it('a dial the Bridge gave up on (signal aborted) is hung up when the PBX accepts it late', async () => {
      const r = await start();
      r.delayAccept(400);
      const callId = testCallId();
      const controller = new AbortController();
      const dialled = r.adapter.dial(callId, r.answered, controller.signal).catch(() => undefined);
      await waitFor(() => r.callsAtPbx() > 0, 'the call at the PBX');
      controller.abort();
      await dialled;
      // Proof it would be seen: the PBX had the call; it must go, and stay gone.
      await waitFor(() => r.callsAtPbx() === 0, 'the late call hung up');
      expectWellFormed(callId);
    });

    it('a drop mid-call ends the call as link-lost and the adapter reconnects', async () => {
      const r = await start();
      const callId = testCallId();
      await r.adapter.dial(callId, r.answered, new AbortController().signal);
      await waitFor(() => of(callId).some((e) => e.kind === 'connected'), 'the call connected');
      const onlineBefore = links.filter((l) => l.status === 'online').length;
      r.drop();
      await waitFor(() => of(callId).some((e) => e.kind === 'ended'), 'the call ended with the link');
      expect(of(callId).find((e) => e.kind === 'ended')).toMatchObject({ outcome: 'link-lost' });
      await waitFor(() => links.filter((l) => l.status === 'online').length > onlineBefore, 'online again');
      expectWellFormed(callId);
    });

    it("other users' calls never reach the Bridge", async () => {
      const r = await start();
      r.foreignCall();
      // Proof the adapter would report a call: one of the operator's own comes through after it.
      const callId = testCallId();
      await r.adapter.dial(callId, r.answered, new AbortController().signal);
      await waitFor(() => of(callId).length > 0, "the operator's own call");
      expect(events.filter((e) => e.callId !== callId)).toEqual([]);
    });
  });
}
