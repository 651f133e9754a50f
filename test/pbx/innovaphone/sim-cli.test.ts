import { afterEach, describe, expect, it } from 'vitest';
import {
  parseInnovaphoneSimArgs,
  runInnovaphoneSimCommand,
  startInnovaphoneSimCli,
} from '../../../src/main/headless/innovaphone-sim-cli';
import { startHarness, stopAllHarnesses } from './harness';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopAllHarnesses();
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('innovaphone-sim CLI', () => {
  it('parses the documented options and refuses bad ones', () => {
    const parsed = parseInnovaphoneSimArgs([
      '--port',
      '0',
      '--app',
      'rcc',
      '--user',
      'Operator One',
      '--user',
      'Desk Two',
      '--outcome',
      '300=busy',
      '--early-callinfo',
    ]);
    expect(parsed).toMatchObject({
      ok: true,
      args: {
        port: 0,
        app: 'rcc',
        password: 'pw',
        users: ['Operator One', 'Desk Two'],
        outgoing: { '300': 'busy' },
        earlyCallInfo: true,
        endMarker: 'both',
      },
    });
    expect(parseInnovaphoneSimArgs(['--port', 'x'])).toMatchObject({ ok: false, status: 2 });
    expect(parseInnovaphoneSimArgs(['--outcome', '300=maybe'])).toMatchObject({ ok: false, status: 2 });
    expect(parseInnovaphoneSimArgs(['--cert', 'a.pem'])).toMatchObject({ ok: false, status: 2 });
    expect(parseInnovaphoneSimArgs(['--help'])).toMatchObject({ ok: false, status: 0 });
  });

  it('serves the adapter, prints each message without the digest, and runs stdin commands', async () => {
    const parsed = parseInnovaphoneSimArgs([
      '--port',
      '0',
      '--app',
      'dialler',
      '--password',
      'cli-secret-pw',
    ]);
    if (!parsed.ok) throw new Error(parsed.text);
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) };
    const sim = await startInnovaphoneSimCli(parsed.args, io);
    cleanup.push(() => sim.stop());
    const url = /listening on (ws:\/\/127\.0\.0\.1:\d+\/PBX0\/APPS\/websocket)/.exec(out.join('\n'))?.[1];
    expect(url).toBeDefined();

    const harness = await startHarness({ existing: sim, profile: { url, password: 'cli-secret-pw' } });
    await harness.waitForLink('online');
    const digest = sim.received('AppLogin')[0]!.digest as string;
    expect(out.join('\n')).toContain('"mt":"AppLogin"');
    expect(out.join('\n')).not.toContain(digest);

    expect(runInnovaphoneSimCommand(sim, 'inbound 0301234567', io)).toBe(true);
    await expect(harness.waitForCall('ringing')).resolves.toMatchObject({ remoteNumber: '0301234567' });
    runInnovaphoneSimCommand(sim, 'rename Operator One => Operator 1', io);
    await harness.waitForLink('offline');
    expect(runInnovaphoneSimCommand(sim, 'quit', io)).toBe(false);
  });
});
