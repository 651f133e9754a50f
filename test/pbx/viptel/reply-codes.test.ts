import { describe, expect, it } from 'vitest';
import { outcomeOfCallEnd } from '../../../src/main/engine/pbx/viptel/call-status';
import { describeReply, REPLY_CODES } from '../../../src/main/engine/pbx/viptel/reply-codes';
import { SIM_REPLIES } from '../../../src/main/engine/pbx/viptel/simulator-frames';

describe('VIPTel reply codes', () => {
  it('gives every reply of the spec its own entry with operator-facing words', () => {
    for (const reply of Object.values(SIM_REPLIES)) {
      const described = describeReply(reply.code, reply.message);
      expect(REPLY_CODES).toContain(described);
      expect(described.explanation.length).toBeGreaterThan(10);
    }
    const explanations = REPLY_CODES.map((reply) => reply.explanation);
    expect(new Set(explanations).size).toBe(explanations.length);
  });

  it('tells apart replies that share a code by their message', () => {
    expect(describeReply(401, 'Wrong username and/or password').effect).toBe('auth-failed');
    expect(describeReply(401, 'User is not activated').effect).toBe('auth-failed');
    expect(describeReply(401, SIM_REPLIES.loginFirst.message).effect).toBe('not-logged-in');
    expect(describeReply(503, 'Server is restarting, please reconnect').effect).toBe('restarting');
    expect(describeReply(503, 'Unable to connect to PBX').effect).toBe('pbx-unreachable');
    expect(describeReply(500, 'Action failed').effect).toBe('action-failed');
    expect(describeReply(500, SIM_REPLIES.unexpectedError.message).effect).toBe('server-error');
  });

  it('tolerates other wording and unknown codes', () => {
    expect(describeReply(202, 'Login successful').effect).toBe('logged-in');
    expect(describeReply(503, 'Server restarting').effect).toBe('restarting');
    const odd = describeReply(418, 'Teapot');
    expect(odd.effect).toBe('action-failed');
    expect(odd.explanation).toContain('418');
    expect(describeReply(200, 'OK').effect).toBe('informational');
  });
});

describe('VIPTel call.end status', () => {
  it('maps every documented status to an outcome', () => {
    expect(
      Object.fromEntries(
        ['answer', 'busy', 'noanswer', 'cancel', 'congestion', 'chanunavail', 'dontcall', 'invalidargs'].map(
          (status) => [status, outcomeOfCallEnd(status)],
        ),
      ),
    ).toEqual({
      answer: 'completed',
      busy: 'busy',
      noanswer: 'no-answer',
      cancel: 'cancelled',
      congestion: 'invalid-number',
      chanunavail: 'unreachable',
      dontcall: 'rejected',
      invalidargs: 'invalid-number',
    });
  });

  it('treats unknown or missing statuses as failed', () => {
    expect(outcomeOfCallEnd('unknown')).toBe('failed');
    expect(outcomeOfCallEnd('constructor')).toBe('failed');
    expect(outcomeOfCallEnd(undefined)).toBe('failed');
  });
});
