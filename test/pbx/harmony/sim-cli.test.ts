import { afterEach, describe, expect, it } from 'vitest';
import {
  parseHarmonySimArgs,
  runHarmonySimCommand,
  startHarmonySimCli,
} from '../../../src/main/headless/harmony-sim-cli';
import { createHarmonyAdapter } from '../../../src/main/engine/pbx/harmony/adapter';
import { harmonyProfileSchema } from '../../../src/main/engine/pbx/harmony/profile';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { silentLogger } from '../../../src/main/engine/log/logger';
import { contextIds } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';
import { FAST_TIMINGS } from './harness';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('harmony-sim CLI', () => {
  it('parses the documented options and refuses bad ones', () => {
    expect(
      parseHarmonySimArgs(['--port', '0', '--agent', '7=secret', '--outcome', '300=busy', '--index', '5']),
    ).toMatchObject({
      ok: true,
      args: { port: 0, agents: [{ id: '7', password: 'secret' }], outgoing: { '300': 'busy' }, index: 5 },
    });
    expect(parseHarmonySimArgs([])).toMatchObject({ ok: true, args: { port: 7000, index: 1 } });
    expect(parseHarmonySimArgs(['--port', 'x'])).toMatchObject({ ok: false, status: 2 });
    expect(parseHarmonySimArgs(['--outcome', '300=maybe'])).toMatchObject({ ok: false, status: 2 });
    expect(parseHarmonySimArgs(['--agent', 'nopassword'])).toMatchObject({ ok: false, status: 2 });
    expect(parseHarmonySimArgs(['--cert', 'a.pem'])).toMatchObject({ ok: false, status: 2 });
    expect(parseHarmonySimArgs(['--help'])).toMatchObject({ ok: false, status: 0 });
  });

  it('serves the adapter, prints messages with the password masked, and runs stdin commands', async () => {
    const parsed = parseHarmonySimArgs(['--port', '0', '--agent', '1001=cli-secret-pw', '--alert-ms', '0']);
    if (!parsed.ok) throw new Error(parsed.text);
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) };
    const sim = await startHarmonySimCli(parsed.args, io);
    cleanup.push(() => sim.stop());
    const calls: PbxCallEvent[] = [];
    const adapter = createHarmonyAdapter(
      harmonyProfileSchema.parse({
        id: 'cc',
        name: 'CC',
        type: 'harmony',
        url: sim.url,
        agentId: '1001',
        password: 'cli-secret-pw',
        extension: '4711',
      }),
      { log: silentLogger, ...contextIds, events: { link: () => undefined, call: (e) => calls.push(e) } },
      FAST_TIMINGS,
    );
    cleanup.push(() => adapter.stop());
    adapter.start();
    await waitFor(() => adapter.link.status === 'online', 'online');
    expect(out.join('\n')).toContain('prepareSession');
    expect(out.join('\n')).not.toContain('cli-secret-pw');
    expect(runHarmonySimCommand(sim, 'inbound 0301234567', io)).toBe(true);
    const ringing = await waitFor(() => calls.find((e) => e.kind === 'ringing'), 'ringing');
    expect(ringing).toMatchObject({ remoteNumber: '0301234567' });
    const id = /call (\S+)/.exec(out.at(-1)!)![1]!;
    runHarmonySimCommand(sim, `answer ${id}`, io);
    await waitFor(() => calls.find((e) => e.kind === 'connected'), 'connected');
    runHarmonySimCommand(sim, 'calls', io);
    expect(out.at(-1)).toContain('STARTED');
    runHarmonySimCommand(sim, `hangup ${id}`, io);
    await waitFor(() => calls.find((e) => e.kind === 'ended'), 'ended');
    runHarmonySimCommand(sim, 'nonsense', io);
    expect(out.at(-1)).toContain('unknown command');
    expect(runHarmonySimCommand(sim, 'quit', io)).toBe(false);
  });
});
