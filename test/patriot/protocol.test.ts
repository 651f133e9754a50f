import { describe, expect, it } from 'vitest';
import { encodeFrame, parsePatriotFrame, type PatriotFrame } from '../../src/main/engine/patriot/protocol';

const parse = (value: unknown) =>
  parsePatriotFrame(typeof value === 'string' ? value : JSON.stringify(value), false);

describe('parsePatriotFrame', () => {
  it('accepts every documented message in both directions', () => {
    const frames: PatriotFrame[] = [
      { type: 'authentication-request', payload: { requestId: '123456', apiKey: 'ABC123DEF456' } },
      { type: 'authentication-response', payload: { requestId: '123456', success: true } },
      { type: 'init-request', payload: { userName: '123456', password: 'ABC123DEF456' } },
      { type: 'init-response', payload: { success: false, error: 'invalid API key' } },
      { type: 'dial-request', payload: { phoneNo: '+0123456789', rawPhoneNo: '+01 (2) 3-456-789' } },
      { type: 'hangup-request' },
      { type: 'call-status-request' },
      { type: 'call-status-update', payload: { callActive: true, outbound: true, callerId: '123-456-789' } },
      { type: 'heartbeat' },
      { type: 'heartbeat-response' },
    ];
    for (const frame of frames) {
      const result = parsePatriotFrame(Buffer.from(encodeFrame(frame)), false);
      expect(result.ok, frame.type).toBe(true);
      if (result.ok) expect(result.message.type).toBe(frame.type);
    }
  });

  it('reads the init-request key from "apiKey" or its alias "password", and userName', () => {
    const withPassword = parse({ type: 'init-request', payload: { userName: 'desk', password: 'secret-1' } });
    expect(withPassword).toEqual({
      ok: true,
      message: {
        type: 'init-request',
        payload: { apiKey: 'secret-1', userName: 'desk', fields: ['userName', 'password'] },
      },
    });
    const withApiKey = parse({ type: 'init-request', payload: { apiKey: 'key-2', password: 'ignored' } });
    expect(
      withApiKey.ok && withApiKey.message.type === 'init-request' && withApiKey.message.payload.apiKey,
    ).toBe('key-2');
  });

  it('keeps an init-request with an unusable key parseable, so it can be answered', () => {
    for (const payload of [{}, { password: 1234 }, { password: '' }, { apiKey: 'x'.repeat(300) }]) {
      const result = parse({ type: 'init-request', payload });
      expect(result.ok && result.message.type === 'init-request' && result.message.payload.apiKey).toBeNull();
    }
    const noPayload = parse({ type: 'init-request' });
    expect(noPayload.ok).toBe(true);
  });

  it('defaults a missing requestId in authentication-response to ""', () => {
    const result = parse({ type: 'authentication-response', payload: { success: true } });
    expect(
      result.ok && result.message.type === 'authentication-response' && result.message.payload.requestId,
    ).toBe('');
  });

  it('ignores extra fields on messages without a payload', () => {
    expect(parse({ type: 'hangup-request', payload: {} })).toEqual({
      ok: true,
      message: { type: 'hangup-request' },
    });
  });

  it('gives a reason for binary, non-JSON, non-object, unknown and mistyped frames', () => {
    expect(parsePatriotFrame(Buffer.from('{"type":"heartbeat"}'), true)).toEqual({
      ok: false,
      reason: expect.stringMatching(/binary/),
    });
    expect(parse('nope')).toEqual({ ok: false, reason: expect.stringMatching(/not valid JSON/) });
    expect(parse('[]')).toEqual({ ok: false, reason: expect.stringMatching(/not a JSON object/) });
    expect(parse('null')).toEqual({ ok: false, reason: expect.stringMatching(/not a JSON object/) });
    expect(parse({ payload: {} })).toEqual({ ok: false, reason: 'no "type" string' });
    expect(parse({ type: 'fax-request' })).toEqual({
      ok: false,
      reason: 'unknown message type "fax-request"',
    });
    expect(parse({ type: 'dial-request', payload: { phoneNo: 5 } })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^dial-request: payload\.phoneNo: /),
      type: 'dial-request',
    });
    expect(parse({ type: 'call-status-update', payload: { callActive: 'yes' } })).toMatchObject({
      ok: false,
    });
    expect(parse({ type: 'authentication-request', payload: { requestId: '1' } })).toMatchObject({
      ok: false,
    });
  });

  it('rejects the documented heartbeat example with its trailing comma (no lenient parsing)', () => {
    expect(parse('{\n"type": "heartbeat",\n}')).toEqual({
      ok: false,
      reason: expect.stringMatching(/not valid JSON/),
    });
  });

  it('bounds string sizes', () => {
    expect(parse({ type: 'dial-request', payload: { phoneNo: '1'.repeat(64), rawPhoneNo: '1' } }).ok).toBe(
      true,
    );
    expect(parse({ type: 'dial-request', payload: { phoneNo: '1'.repeat(65), rawPhoneNo: '1' } }).ok).toBe(
      false,
    );
    expect(parse({ type: 'authentication-request', payload: { apiKey: 'k'.repeat(257) } }).ok).toBe(false);
    expect(
      parse({ type: 'authentication-request', payload: { apiKey: 'k', requestId: 'r'.repeat(129) } }).ok,
    ).toBe(false);
    expect(
      parse({ type: 'call-status-update', payload: { callActive: true, callerId: 'c'.repeat(129) } }).ok,
    ).toBe(false);
  });

  it('never quotes the frame in its reason (frames may carry a key)', () => {
    const key = 'SUPER-SECRET-KEY-123';
    for (const raw of [
      `{"type":"authentication-request","payload":{"apiKey":"${key}"},}`,
      `{"type":"authentication-request","payload":{"apiKey":"${key}","requestId":7}}`,
      `{"type":"init-request","payload":"${key}"}`,
    ]) {
      const result = parsePatriotFrame(raw, false);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(key);
    }
  });
});
