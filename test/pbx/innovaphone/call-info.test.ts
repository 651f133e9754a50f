// CallInfo shapes the reference marks inferred or unknown: the adapter must read all of them.
import { describe, expect, it } from 'vitest';
import { directionOf, outcomeOf, phaseOf } from '../../../src/main/engine/pbx/innovaphone/call-info';
import { readCallInfo } from '../../../src/main/engine/pbx/innovaphone/wire';

const info = (fields: Record<string, unknown>) => readCallInfo({ mt: 'CallInfo', call: 5, ...fields })!;

describe('CallInfo reading', () => {
  it('treats msg "del", del:true (also as a string) and active:false as the end of the call record', () => {
    expect(phaseOf(info({ msg: 'del' }))).toBe('gone');
    expect(phaseOf(info({ del: true, state: 5 }))).toBe('gone');
    expect(phaseOf(info({ del: 'true' }))).toBe('gone');
    expect(phaseOf(info({ active: false, state: 5 }))).toBe('gone');
  });

  it('reads the phase from the state nibble, with or without msg, ignoring the hold and direction bits', () => {
    expect(phaseOf(info({ state: 4 }))).toBe('ringing');
    expect(phaseOf(info({ state: 132, msg: 'x-alert' }))).toBe('ringing');
    expect(phaseOf(info({ state: 261, msg: 'update' }))).toBe('connected'); // connected, on hold
    expect(phaseOf(info({ state: 389 }))).toBe('connected');
    expect(phaseOf(info({ state: 7 }))).toBe('ending');
    expect(phaseOf(info({ msg: 'x-disc' }))).toBe('ending');
    expect(phaseOf(info({ msg: 'r-conn' }))).toBe('connected');
    expect(phaseOf(info({ state: '1', msg: 'x-setup' }))).toBe('setup');
  });

  it('takes the 0x80 bit as a call towards the user', () => {
    expect(directionOf(129)).toBe('inbound');
    expect(directionOf(1)).toBe('outbound');
    expect(directionOf(undefined)).toBe('outbound');
  });

  it('reads numbers sent as strings and the cause entry of info', () => {
    const record = info({ call: '7', user: '3', info: [{ type: 'uui' }, { type: 'cause', vali: '17' }] });
    expect(record).toMatchObject({ call: 7, user: 3, cause: { value: 17 } });
  });

  it('maps causes to outcomes and keeps the PBX words', () => {
    const base = { direction: 'outbound', connected: false, clearedByUs: false } as const;
    expect(outcomeOf({ ...base, cause: { value: 17, text: 'User busy' }, msg: 'r-disc' })).toEqual({
      outcome: 'busy',
      detail: 'User busy (cause 17, r-disc)',
    });
    expect(outcomeOf({ ...base, cause: { value: 19 } }).outcome).toBe('no-answer');
    expect(outcomeOf({ ...base, cause: { value: 21 } }).outcome).toBe('rejected');
    expect(outcomeOf({ ...base, cause: { value: 1 } }).outcome).toBe('invalid-number');
    expect(outcomeOf({ ...base, cause: { value: 99 } }).outcome).toBe('failed');
    expect(outcomeOf({ ...base, connected: true, cause: { value: 16 } }).outcome).toBe('completed');
    expect(outcomeOf({ ...base, clearedByUs: true }).outcome).toBe('cancelled');
    expect(outcomeOf({ ...base, direction: 'inbound', msg: 'r-rel' }).outcome).toBe('no-answer');
  });
});
