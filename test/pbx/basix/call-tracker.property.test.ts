// Orderings nobody chose: a dial's channel events with call_user's reply landing anywhere among them,
// interleaved with other users' calls. Whatever the order, every event of the dial carries the Bridge's
// id, nothing of other users gets through, the call ends exactly once and last, with the script's outcome.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/main/engine/log/logger';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { BasixCallTracker } from '../../../src/main/engine/pbx/basix/call-tracker';
import { toCtiMessage, type CtiMessage } from '../../../src/main/engine/pbx/basix/cti-messages';
import { CtiSession } from '../../../src/main/engine/pbx/basix/cti-session';
import { decodeTerm } from '../../../src/main/engine/pbx/basix/etf-decode';
import { SimChannelBook, type SimOutcome } from '../../../src/main/engine/pbx/basix/simulator-calls';
import {
  CHANNEL_FIELDS,
  USER_FIELDS,
  recordOf,
  userRecord,
} from '../../../src/main/engine/pbx/basix/simulator-records';
import { SIM_USERS } from '../../../src/main/engine/pbx/basix/simulator';
import {
  fieldSpecFrame,
  infoEventFrame,
  initialInfoFrame,
} from '../../../src/main/engine/pbx/basix/cti-messages';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const [OPERATOR, OTHER] = SIM_USERS as [(typeof SIM_USERS)[0], (typeof SIM_USERS)[0]];
const NOW = { userAnswerMs: 0, destRingMs: 0, destAnswerMs: 0, noAnswerMs: 0 };

/** The frames a script produces, through the real encoder and decoder. */
function script(run: (book: SimChannelBook) => void): CtiMessage[] {
  const messages: CtiMessage[] = [];
  const book = new SimChannelBook({
    delays: NOW,
    omitRemoved: false,
    emit: (channel, event) =>
      messages.push(
        toCtiMessage(decodeTerm(infoEventFrame('channel', recordOf(channel, CHANNEL_FIELDS), event))),
      ),
  });
  run(book);
  return messages;
}

function dialScript(outcome: SimOutcome | 'hung-up'): { uuid: string; messages: CtiMessage[] } {
  let uuid = '';
  const messages = script((book) => {
    uuid = book.clickToCall(OPERATOR, '0312345678', outcome === 'hung-up' ? 'answer' : outcome);
    if (outcome === 'hung-up') book.hangup(uuid);
  });
  return { uuid, messages };
}

const EXPECTED: Record<string, string> = {
  'hung-up': 'cancelled|completed',
  busy: 'busy',
  'no-answer': 'no-answer',
  'user-no-answer': 'no-answer',
};

const greeting = (): CtiMessage[] =>
  [
    fieldSpecFrame('user', USER_FIELDS),
    initialInfoFrame(
      'user',
      SIM_USERS.map((user) => userRecord(user, USER_FIELDS)),
    ),
    fieldSpecFrame('channel', CHANNEL_FIELDS),
    initialInfoFrame('channel', []),
  ].map((frame) => toCtiMessage(decodeTerm(frame)));

describe('basix call state, any ordering (property)', () => {
  it("a dial's events carry its id, others never show, and it ends once, last, with the right outcome", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SimOutcome | 'hung-up'>('hung-up', 'busy', 'no-answer', 'user-no-answer'),
        fc.nat(),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.constantFrom('inbound', 'click'),
        (outcome, replyAt, mergeBits, foreignKind) => {
          const dial = dialScript(outcome);
          const foreign = script((book) => {
            if (foreignKind === 'inbound') {
              const [, bLeg] = book.inbound(OTHER, '0300000001', '0312340000', 0);
              book.farEndHangup(bLeg);
            } else book.hangup(book.clickToCall(OTHER, '0300000002', 'answer'));
          });
          // Merge the two streams by the random bits, each keeping its own order.
          const stream: { message: CtiMessage; ours: boolean }[] = [];
          let a = 0;
          let b = 0;
          for (const bit of mergeBits) {
            if (bit && a < dial.messages.length) stream.push({ message: dial.messages[a++]!, ours: true });
            else if (b < foreign.length) stream.push({ message: foreign[b++]!, ours: false });
          }
          while (a < dial.messages.length) stream.push({ message: dial.messages[a++]!, ours: true });
          while (b < foreign.length) stream.push({ message: foreign[b++]!, ours: false });

          const events: PbxCallEvent[] = [];
          let fresh = 0;
          const tracker = new BasixCallTracker({
            emit: (event) => events.push(event),
            newCallId: () => `other${++fresh}`,
            log: silentLogger,
            progressTimeoutMs: 60_000,
          });
          const session = new CtiSession({
            userName: OPERATOR.name,
            tracker,
            log: silentLogger,
            onStatus: () => undefined,
            onSystemMessage: () => undefined,
          });
          for (const message of greeting()) session.receive(message);
          tracker.dialStarted();
          const reply = replyAt % (stream.length + 1);
          stream.forEach((item, index) => {
            if (index === reply) tracker.dialAccepted([dial.uuid], '0312345678', 'DIAL1');
            session.receive(item.message);
          });
          if (reply === stream.length) tracker.dialAccepted([dial.uuid], '0312345678', 'DIAL1');

          expect(events.filter((event) => event.callId !== 'DIAL1')).toEqual([]);
          const kinds = events.map((event) => event.kind);
          expect(kinds.filter((kind) => kind === 'ended')).toHaveLength(1);
          expect(kinds.at(-1)).toBe('ended');
          const ended = events.at(-1) as Extract<PbxCallEvent, { kind: 'ended' }>;
          expect(ended.outcome).toMatch(new RegExp(`^(${EXPECTED[outcome]})$`));
          expect(tracker.live()).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
