import { afterEach, describe, expect, it } from 'vitest';
import { loginHash } from '../../../src/main/engine/pbx/viptel/login-hash';
import { ViptelSimulator, type ViptelSimulatorOptions } from '../../../src/main/engine/pbx/viptel/simulator';
import { SIM_REPLIES } from '../../../src/main/engine/pbx/viptel/simulator-frames';
import { waitFor } from '../../support/wait';
import { JsonPeer } from '../../support/ws-peer';

const USER = { username: 'dispatch', password: 'Correct-Horse-9' };

let sims: ViptelSimulator[] = [];
let peers: JsonPeer[] = [];

afterEach(async () => {
  for (const peer of peers) await peer.close();
  for (const sim of sims) await sim.stop();
  sims = [];
  peers = [];
});

async function startSim(
  options: ViptelSimulatorOptions = {},
): Promise<{ sim: ViptelSimulator; url: string }> {
  const sim = new ViptelSimulator({ users: [USER], ...options });
  sims.push(sim);
  const { url } = await sim.start();
  return { sim, url };
}

async function connect(url: string): Promise<{ peer: JsonPeer; nonce: string }> {
  const peer = await JsonPeer.connect(url);
  peers.push(peer);
  const greeting = await peer.nextOfKey('code', 100);
  return { peer, nonce: String(greeting.nonce) };
}

async function loggedIn(url: string, user = USER): Promise<JsonPeer> {
  const { peer, nonce } = await connect(url);
  peer.send({
    action: 'user.login',
    username: user.username,
    password: loginHash(user.username, user.password, nonce),
  });
  await peer.nextOfKey('code', 202);
  return peer;
}

const closed = (peer: JsonPeer): Promise<unknown> => waitFor(() => peer.closed, 'the server to close');

describe('VIPTel simulator', () => {
  it('binds 127.0.0.1 and greets each connection with code 100 and a fresh nonce', async () => {
    const { url } = await startSim();
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const first = await connect(url);
    const second = await connect(url);
    expect(first.peer.received[0]).toMatchObject(SIM_REPLIES.greeting);
    expect(first.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(second.nonce).not.toBe(first.nonce);
  });

  it('logs in with the nonce hash and answers 202', async () => {
    const { sim, url } = await startSim();
    await loggedIn(url);
    expect(sim.logins).toEqual([{ connectionId: 1, username: USER.username }]);
  });

  it('refuses actions before login with 401 and keeps the connection', async () => {
    const { url } = await startSim();
    const { peer } = await connect(url);
    peer.send({ action: 'call.create', from: 12, to: '0900', call_random_id: 'abc' });
    expect(await peer.nextOfKey('code', 401)).toEqual(SIM_REPLIES.loginFirst);
    expect(peer.closed).toBeNull();
  });

  it('answers a wrong password with 401, then 110, then closes', async () => {
    const { sim, url } = await startSim();
    const { peer, nonce } = await connect(url);
    peer.send({
      action: 'user.login',
      username: USER.username,
      password: loginHash(USER.username, 'wrong', nonce),
    });
    expect(await peer.nextOfKey('code', 401)).toEqual(SIM_REPLIES.wrongCredentials);
    expect(await peer.nextOfKey('code', 110)).toEqual(SIM_REPLIES.closing);
    await closed(peer);
    expect(sim.logins).toEqual([]);
  });

  it('answers an inactive user with 401 User is not activated and closes', async () => {
    const { url } = await startSim({ users: [{ ...USER, active: false }] });
    const { peer, nonce } = await connect(url);
    peer.send({
      action: 'user.login',
      username: USER.username,
      password: loginHash(USER.username, USER.password, nonce),
    });
    expect(await peer.nextOfKey('code', 401)).toEqual(SIM_REPLIES.notActivated);
    await closed(peer);
  });

  it('closes with 408 Login timeout when no login comes in the window', async () => {
    const { url } = await startSim({ loginTimeoutMs: 100 });
    const { peer } = await connect(url);
    expect(await peer.nextOfKey('code', 408)).toEqual(SIM_REPLIES.loginTimeout);
    expect(await peer.nextOfKey('code', 110)).toEqual(SIM_REPLIES.closing);
    await closed(peer);
  });

  it('answers 403 for an action the user lacks the permission for', async () => {
    const { url } = await startSim({ users: [{ ...USER, deniedActions: ['call.redirect'] }] });
    const peer = await loggedIn(url);
    peer.send({ action: 'call.redirect', unique_id: '1.1', destination: '13' });
    expect(await peer.nextOfKey('code', 403)).toEqual(SIM_REPLIES.forbidden);
  });

  it('answers 404 for unknown and missing actions and unknown calls, 400 for a non-string action', async () => {
    const { url } = await startSim();
    const peer = await loggedIn(url);
    peer.send({ action: 'call.park' });
    expect(await peer.nextOfKey('code', 404)).toEqual(SIM_REPLIES.unknownAction);
    peer.send({ unique_id: '1.1' });
    expect(await peer.nextOfKey('code', 404)).toEqual(SIM_REPLIES.missingAction);
    peer.send({ action: 'call.hangup', unique_id: '999.999' });
    expect(await peer.nextOfKey('code', 404)).toEqual(SIM_REPLIES.callNotFound);
    peer.send({ action: 42 });
    expect(await peer.nextOfKey('code', 400)).toEqual(SIM_REPLIES.actionNotString);
  });

  it('answers 400 with an errors array for invalid call.create values', async () => {
    const { url } = await startSim();
    const peer = await loggedIn(url);
    peer.send({ action: 'call.create', from: 12, call_random_id: 'abc' });
    const missingTo = await peer.nextOfKey('code', 400);
    expect(missingTo).toMatchObject(SIM_REPLIES.invalidValues);
    expect(missingTo.errors).toEqual(['to is required']);
    peer.send({ action: 'call.create', from: 12, to: '0900', call_random_id: 'not-alnum!' });
    expect((await peer.nextOfKey('code', 400)).errors).toEqual([
      'call_random_id must be at most 64 alphanumeric characters',
    ]);
    peer.send({ action: 'call.create', from: 12, to: '0900', call_random_id: 'a'.repeat(65) });
    expect((await peer.nextOfKey('code', 400)).errors).toHaveLength(1);
    peer.send({ action: 'call.create', from: 12, to: '0900', call_random_id: 'a'.repeat(64) });
    expect(await peer.nextOfKey('event', 'call.create_response')).toMatchObject({
      call_random_id: 'a'.repeat(64),
    });
  });

  it('answers 500 Action failed when scripted, once', async () => {
    const { url, sim } = await startSim();
    const peer = await loggedIn(url);
    sim.failNext('call.create');
    peer.send({ action: 'call.create', from: 12, to: '0900', call_random_id: 'one' });
    expect(await peer.nextOfKey('code', 500)).toEqual(SIM_REPLIES.actionFailed);
    peer.send({ action: 'call.create', from: 12, to: '0900', call_random_id: 'two' });
    expect(await peer.nextOfKey('event', 'call.create_response')).toMatchObject({ call_random_id: 'two' });
  });

  it('runs a created call through create_response (renamed), begin, pickup, and end on hangup', async () => {
    const { url, sim } = await startSim({ renameOnCreate: true });
    const peer = await loggedIn(url);
    const watcher = await loggedIn(url); // events go to every logged-in client
    peer.send({ action: 'call.create', from: 12, to: '0220282028', call_random_id: '1236' });
    const first = await peer.nextOfKey('event', 'call.create_response');
    const second = await peer.nextOfKey('event', 'call.create_response');
    expect(second.call_random_id).toBe('1236');
    expect(second.unique_id).not.toBe(first.unique_id);
    const begin = await peer.nextOfKey('event', 'call.begin');
    expect(begin).toMatchObject({ caller: '12', callee: '0220282028', unique_id: second.unique_id });
    await peer.nextOfKey('event', 'call.pickup');
    peer.send({ action: 'call.hangup', unique_id: second.unique_id });
    expect(await peer.nextOfKey('event', 'call.end')).toEqual({
      event: 'call.end',
      unique_id: second.unique_id,
      status: 'answer',
    });
    expect(await watcher.nextOfKey('event', 'call.end')).toMatchObject({ unique_id: second.unique_id });
    expect(sim.calls()).toEqual([]);
  });

  it('ends created calls to scripted destinations with their status', async () => {
    const { url } = await startSim({ outcomes: { '0900*': 'busy', '*99': 'chanunavail' } });
    const peer = await loggedIn(url);
    peer.send({ action: 'call.create', from: 12, to: '0900123', call_random_id: 'busy1' });
    const busy = await peer.nextOfKey('event', 'call.end');
    expect(busy.status).toBe('busy');
    peer.send({ action: 'call.create', from: 12, to: '555199', call_random_id: 'gone1' });
    expect((await peer.nextOfKey('event', 'call.end')).status).toBe('chanunavail');
  });

  it('refuses to hang up a call that began before this login (404)', async () => {
    const { url, sim } = await startSim();
    const early = await loggedIn(url);
    const uniqueId = sim.placeInboundCall({ from: '0905111222', to: '12' });
    await early.nextOfKey('event', 'call.begin');
    const late = await loggedIn(url);
    late.send({ action: 'call.hangup', unique_id: uniqueId });
    expect(await late.nextOfKey('code', 404)).toEqual(SIM_REPLIES.callNotFound);
    early.send({ action: 'call.hangup', unique_id: uniqueId });
    expect(await early.nextOfKey('event', 'call.end')).toMatchObject({
      unique_id: uniqueId,
      status: 'cancel',
    });
  });

  it('sends events only to logged-in clients', async () => {
    const { url, sim } = await startSim();
    const { peer: anonymous } = await connect(url);
    const peer = await loggedIn(url);
    sim.broadcast({
      event: 'queue.join',
      queue: 500,
      caller: '0905',
      caller_name: '0905',
      unique_id: '1.2',
      position: 1,
    });
    await peer.nextOfKey('event', 'queue.join');
    expect(anonymous.received.filter((m) => m.event !== undefined)).toEqual([]);
  });

  it('answers user.logout with 110 Bye and closes', async () => {
    const { url, sim } = await startSim();
    const peer = await loggedIn(url);
    peer.send({ action: 'user.logout' });
    expect(await peer.nextOfKey('code', 110)).toEqual(SIM_REPLIES.bye);
    await closed(peer);
    expect(sim.logouts).toHaveLength(1);
    await waitFor(() => sim.openConnections === 0, 'no open connection');
  });

  it('announces a restart with 503, then 110, and closes every connection', async () => {
    const { url, sim } = await startSim();
    const a = await loggedIn(url);
    const { peer: b } = await connect(url);
    sim.announceRestart();
    for (const peer of [a, b]) {
      expect(await peer.nextOfKey('code', 503)).toEqual(SIM_REPLIES.restarting);
      expect(await peer.nextOfKey('code', 110)).toEqual(SIM_REPLIES.closing);
      await closed(peer);
    }
  });

  it('sends a prepared bulk stream as ordinary frames, of every length, only to the chosen client', async () => {
    const { url, sim } = await startSim();
    const peer = await loggedIn(url);
    const other = await loggedIn(url);
    const frames = [
      { event: 'queue.pause', queue: 1, member: '7001' },
      { event: 'call.begin', caller: '7001', callee: '7002', caller_name: 'x'.repeat(200), unique_id: '1.2' },
      { event: 'call.end', unique_id: '1.2', status: 'y'.repeat(70_000) },
    ];
    const stream = sim.prepareStream(frames.map((frame) => JSON.stringify(frame)));
    sim.sendPrepared(stream, sim.connections[0]!.id);
    sim.broadcast({ event: 'queue.unpause', queue: 1, member: '7001' });
    const last = await peer.nextOfKey('event', 'queue.unpause');
    expect(peer.received.slice(-4)).toEqual([...frames, last]);
    await other.nextOfKey('event', 'queue.unpause');
    expect(other.received.filter((m) => m.event !== undefined)).toEqual([last]);
  });

  it('emits each action as it arrives', async () => {
    const { url, sim } = await startSim();
    const seen: string[] = [];
    sim.on('action', (frame) => seen.push(String(frame.action)));
    const peer = await loggedIn(url);
    peer.send({ action: 'call.park' });
    await peer.nextOfKey('code', 404);
    expect(seen).toEqual(['user.login', 'call.park']);
  });
});
