import { afterEach, describe, expect, it } from 'vitest';
import {
  parseBasixSimArgs,
  runBasixSimCommand,
  startBasixSimCli,
} from '../../../src/main/headless/basix-sim-cli';
import type { BasixSimulator } from '../../../src/main/engine/pbx/basix/simulator';
import { dialAs } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';
import { startHarness, stopAllHarnesses } from './harness';

let sim: BasixSimulator | null = null;
afterEach(async () => {
  await stopAllHarnesses();
  await sim?.stop();
  sim = null;
});

describe('basix-sim CLI', () => {
  it('parses the documented options and refuses bad ones', () => {
    expect(
      parseBasixSimArgs(['--port', '0', '--outcome', '0399=busy', '--refuse', '0311=blocked']),
    ).toMatchObject({
      ok: true,
      args: { port: 0, outcomes: { '0399': 'busy' }, refusals: { '0311': 'blocked' }, answerMs: 300 },
    });
    expect(parseBasixSimArgs(['--port', 'x'])).toMatchObject({ ok: false, status: 2 });
    expect(parseBasixSimArgs(['--outcome', '0399=maybe'])).toMatchObject({ ok: false, status: 2 });
    expect(parseBasixSimArgs(['--help'])).toMatchObject({ ok: false, status: 0 });
  });

  it('serves the adapter, prints connections, call_user and commands, and runs stdin commands', async () => {
    const parsed = parseBasixSimArgs(['--port', '0', '--answer-ms', '0']);
    if (!parsed.ok) throw new Error(parsed.text);
    const out: string[] = [];
    sim = await startBasixSimCli(parsed.args, {
      out: (text) => out.push(text),
      err: (text) => out.push(text),
    });
    expect(out[0]).toMatch(/^Basix simulator listening on http:\/\/127\.0\.0\.1:\d+/);
    const h = await startHarness({ existing: sim });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    await h.adapter.hangup(callId);
    await waitFor(() => out.some((line) => line.includes('"cmd":"hangup"')), 'the hangup printed');
    expect(out.join('\n')).toMatch(/ws_cti app_name=dialler-bridge user_name=operator1/);
    expect(out.join('\n')).toMatch(/call_user \{"user_name":"operator1","destination":"0312345678"\}/);
    expect(
      runBasixSimCommand(sim, 'inbound 0311112222', { out: (t) => out.push(t), err: () => undefined }),
    ).toBe(true);
    await waitFor(() => h.calls.some((e) => e.kind === 'ringing' && e.callId !== callId), 'the inbound call');
    expect(runBasixSimCommand(sim, 'nonsense', { out: (t) => out.push(t), err: () => undefined })).toBe(true);
    expect(out.at(-1)).toMatch(/unknown command/);
    expect(runBasixSimCommand(sim, 'quit', { out: () => undefined, err: () => undefined })).toBe(false);
  });
});
