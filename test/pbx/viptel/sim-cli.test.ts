import { afterEach, describe, expect, it } from 'vitest';
import {
  parseViptelSimArgs,
  runViptelSimCommand,
  startViptelSimCli,
} from '../../../src/main/headless/viptel-sim-cli';
import { loginHash } from '../../../src/main/engine/pbx/viptel/login-hash';
import type { ViptelSimulator } from '../../../src/main/engine/pbx/viptel/simulator';
import { waitFor } from '../../support/wait';
import { JsonPeer } from '../../support/ws-peer';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('viptel-sim CLI', () => {
  it('parses the documented options and refuses bad ones', () => {
    const parsed = parseViptelSimArgs(['--port', '0', '--user', 'u', '--outcome', '0900*=busy', '--rename']);
    expect(parsed).toMatchObject({
      ok: true,
      args: {
        port: 0,
        user: 'u',
        password: 'demo',
        extension: '12',
        outcomes: { '0900*': 'busy' },
        rename: true,
      },
    });
    expect(parseViptelSimArgs(['--port', 'x'])).toMatchObject({ ok: false, status: 2 });
    expect(parseViptelSimArgs(['--outcome', 'busy'])).toMatchObject({ ok: false, status: 2 });
    expect(parseViptelSimArgs(['--help'])).toMatchObject({ ok: false, status: 0 });
  });

  it('prints its URL and each action, never the login hash, and runs stdin commands', async () => {
    const parsed = parseViptelSimArgs([
      '--port',
      '0',
      '--user',
      'demo',
      '--password',
      'demo',
      '--extension',
      '12',
    ]);
    if (!parsed.ok) throw new Error(parsed.text);
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) };
    const sim: ViptelSimulator = await startViptelSimCli(parsed.args, io);
    cleanup.push(() => sim.stop());
    const url = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(out.join('\n'))?.[1];
    expect(url).toBeDefined();

    const peer = await JsonPeer.connect(url!);
    cleanup.push(() => peer.close());
    const greeting = await peer.nextOfKey('code', 100);
    const hash = loginHash('demo', 'demo', String(greeting.nonce));
    peer.send({ action: 'user.login', username: 'demo', password: hash });
    await peer.nextOfKey('code', 202);
    await waitFor(() => out.some((line) => line.includes('"user.login"')), 'the login line');
    expect(out.join('\n')).not.toContain(hash);

    expect(runViptelSimCommand(sim, parsed.args, 'inbound 0905123456', io)).toBe(true);
    expect(await peer.nextOfKey('event', 'call.begin')).toMatchObject({ caller: '0905123456', callee: '12' });
    expect(runViptelSimCommand(sim, parsed.args, 'quit', io)).toBe(false);
  });
});
