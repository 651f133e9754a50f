// The simulator on its own, driven by a plain WebSocket peer: what any innovaphone client would see.
import { afterEach, describe, expect, it } from 'vitest';
import { appLoginDigest } from '../../../src/main/engine/pbx/innovaphone/digest';
import {
  InnovaphoneSimulator,
  type InnovaphoneSimulatorOptions,
} from '../../../src/main/engine/pbx/innovaphone/simulator';
import { delay, waitFor } from '../../support/wait';
import { JsonPeer } from '../../support/ws-peer';

const APP = 'rcc';
const PASSWORD = 'secret';
const open: { sim: InnovaphoneSimulator; peers: JsonPeer[] }[] = [];

afterEach(async () => {
  for (const { sim, peers } of open.splice(0)) {
    await Promise.all(peers.map((peer) => peer.close()));
    await sim.stop();
  }
});

async function connect(
  options: InnovaphoneSimulatorOptions = {},
): Promise<{ sim: InnovaphoneSimulator; peer: JsonPeer }> {
  const sim = new InnovaphoneSimulator({
    apps: [{ name: APP, password: PASSWORD }],
    users: [{ cn: 'Operator One', e164: '101' }],
    delays: { setupMs: 0, alertMs: 10, connectMs: 10, endMs: 5 },
    ...options,
  });
  const { url } = await sim.start();
  const peer = await JsonPeer.connect(url);
  open.push({ sim, peers: [peer] });
  return { sim, peer };
}

async function login(
  peer: JsonPeer,
  extra: { info?: unknown; password?: string } = {},
): Promise<Record<string, unknown>> {
  peer.send({ mt: 'AppChallenge' });
  const { challenge } = await peer.nextOfKey('mt', 'AppChallengeResult');
  const infoJson = 'info' in extra ? JSON.stringify(extra.info) : undefined;
  const digest = appLoginDigest({ app: APP, infoJson }, challenge as string, extra.password ?? PASSWORD);
  peer.send({ mt: 'AppLogin', app: APP, ...('info' in extra ? { info: extra.info } : {}), digest });
  return peer.nextOfKey('mt', 'AppLoginResult');
}

async function rcc(peer: JsonPeer, message: Record<string, unknown>): Promise<Record<string, unknown>> {
  peer.send({ api: 'RCC', ...message });
  return peer.next(
    (m) => m.mt === `${String(message.mt)}Result` && m.src === message.src,
    `${String(message.mt)}Result`,
  );
}

describe('innovaphone simulator', () => {
  it('serves only 127.0.0.1 at /PBX0/APPS/websocket', async () => {
    const { sim } = await connect();
    expect(sim.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/PBX0\/APPS\/websocket$/);
    await expect(JsonPeer.connect(sim.url.replace('/PBX0/APPS/websocket', '/other'))).rejects.toThrow(/404/);
  });

  it('accepts a login with and without info, recomputing the digest from what it received', async () => {
    const { peer } = await connect();
    await expect(login(peer)).resolves.toEqual({ mt: 'AppLoginResult', ok: true });
    const second = await JsonPeer.connect(open[0]!.sim.url);
    open[0]!.peers.push(second);
    await expect(login(second, { info: { cn: 'Test User' } })).resolves.toEqual({
      mt: 'AppLoginResult',
      ok: true,
    });
  });

  it('refuses a wrong digest with ok:false and an error, and ignores RCC before login', async () => {
    const { peer } = await connect();
    peer.send({ api: 'RCC', mt: 'Initialize', src: 'early' });
    await expect(login(peer, { password: 'wrong' })).resolves.toMatchObject({
      ok: false,
      error: expect.any(String),
    });
    await delay(50);
    expect(peer.received.some((m) => m.mt === 'InitializeResult')).toBe(false);
  });

  it('lists only the users the App object is assigned to, with the Initialize src, before InitializeResult', async () => {
    const { peer } = await connect({
      users: [{ cn: 'Operator One' }, { cn: 'Hidden', apps: ['other-app'] }],
    });
    await login(peer);
    await rcc(peer, { mt: 'Initialize', src: 'i1' });
    const infos = peer.received.filter((m) => m.mt === 'UserInfo');
    expect(infos.map((m) => [m.cn, m.src])).toEqual([['Operator One', 'i1']]);
  });

  it('places a scripted call: UserCallResult with a handle, then x-setup, r-alert, r-conn with the UserInitialize src', async () => {
    const { peer } = await connect();
    await login(peer);
    await rcc(peer, { mt: 'Initialize', src: 'i1' });
    const { user } = await rcc(peer, { mt: 'UserInitialize', cn: 'Operator One', src: 'u1' });
    const { call } = await rcc(peer, { mt: 'UserCall', user, e164: '200', src: 'd1' });
    expect(call).toEqual(expect.any(Number));
    expect(call).not.toBe(0);
    const connected = await peer.next((m) => m.mt === 'CallInfo' && m.msg === 'r-conn', 'r-conn');
    const infos = peer.received.filter((m) => m.mt === 'CallInfo');
    expect(infos.map((m) => [m.msg, m.state])).toEqual([
      ['x-setup', 1],
      ['r-alert', 4],
      ['r-conn', 5],
    ]);
    expect(connected).toMatchObject({ src: 'u1', user, call, peer: { e164: '200' } });
  });

  it('answers UserCall with call 0 for an unknown user handle or an unknown user', async () => {
    const { peer } = await connect();
    await login(peer);
    await rcc(peer, { mt: 'Initialize', src: 'i1' });
    await expect(rcc(peer, { mt: 'UserCall', user: 999, e164: '200', src: 'd1' })).resolves.toMatchObject({
      call: 0,
    });
    const { user } = await rcc(peer, { mt: 'UserInitialize', cn: 'Nobody', src: 'u1' });
    expect(user).not.toBe(0); // SOAP semantics: a handle even without a matching user...
    await expect(rcc(peer, { mt: 'UserCall', user, e164: '200', src: 'd2' })).resolves.toMatchObject({
      call: 0,
    });
  });

  it('clears a call on UserClear with the cause as a string, then marks the end', async () => {
    const { sim, peer } = await connect({ endMarker: 'msg' });
    await login(peer);
    await rcc(peer, { mt: 'Initialize', src: 'i1' });
    const { user } = await rcc(peer, { mt: 'UserInitialize', cn: 'Operator One', src: 'u1' });
    const { call } = await rcc(peer, { mt: 'UserCall', user, e164: '200', src: 'd1' });
    await rcc(peer, { mt: 'UserClear', call, cause: '16', src: 'c1' });
    await peer.next((m) => m.mt === 'CallInfo' && m.msg === 'x-rel', 'x-rel');
    const end = await peer.next((m) => m.mt === 'CallInfo' && m.msg === 'del', 'the end marker');
    expect(end).not.toHaveProperty('del');
    await waitFor(() => sim.liveCalls().length === 0, 'the call to be gone');
  });

  it('takes KeepAlive without a reply and emits every client message as it arrives', async () => {
    const { sim, peer } = await connect();
    const seen: unknown[] = [];
    sim.on('message', (message) => seen.push(message.mt));
    await login(peer);
    peer.send({ mt: 'KeepAlive' });
    await waitFor(() => seen.includes('KeepAlive'), 'the KeepAlive message event');
    await delay(50);
    expect(peer.received.map((m) => m.mt)).toEqual(['AppChallengeResult', 'AppLoginResult']);
    expect(seen).toEqual(['AppChallenge', 'AppLogin', 'KeepAlive']);
  });

  it('drops every connection on demand', async () => {
    const { sim, peer } = await connect();
    await login(peer);
    sim.dropAllConnections();
    await waitFor(() => peer.closed, 'the peer to see the close');
    await waitFor(() => sim.connections().length === 0, 'no connections');
  });
});
