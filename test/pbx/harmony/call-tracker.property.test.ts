// Whatever order the server's events come in, every call's events are well formed and end when it ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { CallTracker } from '../../../src/main/engine/pbx/harmony/call-tracker';
import { harmonyProtocol } from '../../../src/main/engine/pbx/harmony/profile';
import { silentLogger } from '../../../src/main/engine/log/logger';
import { testCallId } from '../../support/adapter-dial';

const protocol = harmonyProtocol();
const e = protocol.events;
const CHANNEL = 'S.C';

type Step =
  | { kind: 'created'; i: number; inbound: boolean }
  | { kind: 'state'; i: number; conv: boolean; state: string }
  | { kind: 'conv-created'; i: number; c: number }
  | { kind: 'conv-disposed'; i: number; c: number }
  | { kind: 'ended'; i: number }
  | { kind: 'foreign'; i: number };

const i = fc.integer({ min: 0, max: 2 });
const c = fc.integer({ min: 0, max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('created' as const), i, inbound: fc.boolean() }),
  fc.record({
    kind: fc.constant('state' as const),
    i,
    conv: fc.boolean(),
    state: fc.constantFrom('DIALING', 'ALERTING', 'STARTED', 'BUSY', 'HELD'),
  }),
  fc.record({ kind: fc.constant('conv-created' as const), i, c }),
  fc.record({ kind: fc.constant('conv-disposed' as const), i, c }),
  fc.record({ kind: fc.constant('ended' as const), i }),
  fc.record({ kind: fc.constant('foreign' as const), i }),
);

function message(name: string, target: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return { messageType: 'objectEvent', name, target, data };
}

describe('Harmony call tracker, any event order', () => {
  it('never reports after ended, ends at most once, and ends every call whose interaction ended', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const events: PbxCallEvent[] = [];
        const tracker = new CallTracker({
          protocol,
          emit: (event) => events.push(event),
          newCallId: testCallId,
          release: () => undefined,
          log: silentLogger,
        });
        tracker.follow(CHANNEL);
        // Interactions created and not ended yet (a re-created interaction is a new call).
        const alive = new Set<number>();
        for (const s of steps) {
          const target = `${CHANNEL}.i${s.i}`;
          switch (s.kind) {
            case 'created':
              tracker.onEvent(
                e.interactionCreated,
                target,
                message(e.interactionCreated, target, {
                  interaction: { direction: s.inbound ? 'inbound' : 'outbound', ani: '0301' },
                }),
              );
              alive.add(s.i);
              break;
            case 'state': {
              const t = s.conv ? `${target}.c0` : target;
              tracker.onEvent(e.stateUpdated, t, message(e.stateUpdated, t, { state: s.state }));
              break;
            }
            case 'conv-created':
              tracker.onEvent(
                e.conversationCreated,
                `${target}.c${s.c}`,
                message(e.conversationCreated, target),
              );
              break;
            case 'conv-disposed':
              tracker.onEvent(
                e.conversationDisposed,
                `${target}.c${s.c}`,
                message(e.conversationDisposed, target),
              );
              break;
            case 'ended':
              tracker.onEvent(e.interactionEnded, target, message(e.interactionEnded, target));
              alive.delete(s.i);
              break;
            case 'foreign': {
              const other = `OTHER.C.i${s.i}`;
              tracker.onEvent(e.interactionCreated, other, message(e.interactionCreated, other));
              break;
            }
          }
        }
        const ids = [...new Set(events.map((event) => event.callId))];
        for (const id of ids) {
          const kinds = events.filter((event) => event.callId === id).map((event) => event.kind);
          const end = kinds.indexOf('ended');
          if (end >= 0) expect(kinds.slice(end + 1)).toEqual([]);
          expect(kinds[0]).toBe('ringing');
        }
        // Every call still live is one whose interaction has not ended.
        expect(tracker.live().length).toBeLessThanOrEqual(alive.size);
        const started = events.filter(
          (event) => event.kind === 'ringing' && event === events.find((x) => x.callId === event.callId),
        );
        const ended = events.filter((event) => event.kind === 'ended');
        expect(started.length - ended.length).toBe(tracker.live().length);
        // Dispose ends the rest; then every call reported (none of another channel) has exactly one end.
        tracker.dispose('link-lost', 'gone');
        const all = new Set(events.map((event) => event.callId));
        const endedIds = new Set(
          events.filter((event) => event.kind === 'ended').map((event) => event.callId),
        );
        expect(endedIds).toEqual(all);
        expect(events.filter((event) => event.kind === 'ended')).toHaveLength(all.size);
      }),
    );
  });
});
