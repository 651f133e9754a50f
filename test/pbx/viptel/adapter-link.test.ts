import { createHook } from 'node:async_hooks';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/main/engine/pbx/registry';
import { ViptelAdapter } from '../../../src/main/engine/pbx/viptel/adapter';
import { viptelProfileSchema } from '../../../src/main/engine/pbx/viptel/profile';
import { credentialDigest, loginHash } from '../../../src/main/engine/pbx/viptel/login-hash';
import { SIM_REPLIES } from '../../../src/main/engine/pbx/viptel/simulator-frames';
import { delay, waitFor } from '../../support/wait';
import { EXTENSION, makeRig, PASSWORD, rejection, stopRigs, USERNAME } from './harness';
import { contextIds, dialAs } from '../../support/adapter-dial';

afterEach(stopRigs);

/**
 * Counts timers created from now on by the product code (adapter, simulator, ws) that are still pending;
 * the test's own polling timers do not count.
 */
function trackTimers(): { pending(): number; disable(): void } {
  const live = new Set<number>();
  const hook = createHook({
    init: (id, type) => {
      if (type === 'Timeout' && /src[\\/]main[\\/]engine|node_modules[\\/]ws/.test(new Error().stack ?? '')) {
        live.add(id);
      }
    },
    destroy: (id) => {
      live.delete(id);
    },
  }).enable();
  return { pending: () => live.size, disable: () => hook.disable() };
}

describe('VIPTel adapter: login and link', () => {
  it('logs in with the hash of the greeting nonce and goes online', async () => {
    const rig = await makeRig();
    await rig.online();
    expect(rig.links.map((state) => state.status)).toEqual(['connecting', 'online']);
    const [connection] = rig.sim.connections;
    const login = connection!.actions.find((frame) => frame.action === 'user.login');
    // The spec's recipe, computed here on its own.
    expect(login).toEqual({
      action: 'user.login',
      username: USERNAME,
      password: loginHash(USERNAME, PASSWORD, connection!.nonce),
    });
    expect(rig.adapter.link.status).toBe('online');
  });

  it('finds a nonce nested in the greeting', async () => {
    const rig = await makeRig({ sim: { greeting: 'nested' } });
    await rig.online();
    expect(rig.sim.logins).toHaveLength(1);
  });

  it('reconnects after "503 Server is restarting" and logs in again with the new nonce', async () => {
    const rig = await makeRig();
    await rig.online();
    rig.sim.announceRestart();
    await rig.online(2);
    const offline = rig.links.find((state) => state.status === 'offline');
    expect(offline).toMatchObject({ status: 'offline', reason: expect.stringMatching(/restarting/i) });
    expect(offline?.status === 'offline' && typeof offline.retryAt).toBe('number');
    const [first, second] = rig.sim.connections;
    expect(second!.nonce).not.toBe(first!.nonce);
    const secondLogin = second!.actions.find((frame) => frame.action === 'user.login');
    expect(secondLogin?.password).toBe(loginHash(USERNAME, PASSWORD, second!.nonce));
    expect(rig.sim.logins).toHaveLength(2);
  });

  it('reconnects after the connection drops without a word', async () => {
    const rig = await makeRig();
    await rig.online();
    rig.sim.dropConnections();
    await rig.online(2);
    expect(rig.links.some((state) => state.status === 'offline')).toBe(true);
  });

  it('reconnects after "504 Can not connect to PBX", failing the action it answered', async () => {
    const rig = await makeRig();
    await rig.online();
    rig.sim.failNext('call.create', SIM_REPLIES.pbxRetrying);
    const error = await rejection(dialAs(rig.adapter, '0220282028'));
    expect(error.code).toBe('failed');
    expect(error.message).toMatch(/cannot reach the PBX/i);
    await rig.online(2);
  });

  it('reconnects after "500 An unexpected error has occurred, closing connection"', async () => {
    const rig = await makeRig();
    await rig.online();
    rig.sim.failNext('call.create', SIM_REPLIES.unexpectedError);
    const error = await rejection(dialAs(rig.adapter, '0220282028'));
    expect(error.message).toMatch(/unexpected error/i);
    await rig.online(2);
  });

  it('is what the registry builds for a viptel profile', async () => {
    const rig = await makeRig({ start: false });
    const built = createAdapter(
      viptelProfileSchema.parse({
        id: 'v',
        name: 'V',
        type: 'viptel',
        url: rig.url,
        username: 'u',
        password: 'p',
        extension: '12',
      }),
      { log: rig.log.logger, ...contextIds, events: { link: () => undefined, call: () => undefined } },
    );
    expect(built).toBeInstanceOf(ViptelAdapter);
    await built.stop();
  });

  it('stops on a wrong password: auth-failed, no reconnect hammering, and retries when asked', async () => {
    const rig = await makeRig({ password: 'not-the-password' });
    await waitFor(() => rig.adapter.link.status === 'auth-failed', 'auth-failed');
    expect(rig.adapter.link).toMatchObject({ reason: expect.stringMatching(/username or password/i) });
    // With a 20 ms backoff, an adapter that kept reconnecting would open many connections by now.
    await delay(400);
    expect(rig.sim.connections).toHaveLength(1);
    expect(rig.links.filter((state) => state.status === 'connecting')).toHaveLength(1);
    rig.adapter.retryNow();
    await waitFor(() => rig.sim.connections.length === 2, 'a second connection');
    await waitFor(
      () => rig.links.filter((s) => s.status === 'auth-failed').length === 2,
      'auth-failed again',
    );
  });

  it('retries slowly after a refused login, on its own', async () => {
    const rig = await makeRig({ password: 'not-the-password', adapter: { authRetryMs: 150 } });
    await waitFor(() => rig.sim.connections.length >= 2, 'the slow retry');
  });

  it('reports a user that is not activated', async () => {
    const rig = await makeRig({
      sim: { users: [{ username: USERNAME, password: PASSWORD, active: false }] },
    });
    await waitFor(() => rig.adapter.link.status === 'auth-failed', 'auth-failed');
    expect(rig.adapter.link).toMatchObject({ reason: expect.stringMatching(/not activated/i) });
  });

  it('fails actions fast while not logged in', async () => {
    const idle = await makeRig({ start: false });
    expect((await rejection(dialAs(idle.adapter, '0220282028'))).code).toBe('offline');

    const refused = await makeRig({ password: 'not-the-password' });
    await waitFor(() => refused.adapter.link.status === 'auth-failed', 'auth-failed');
    const authError = await rejection(dialAs(refused.adapter, '0220282028'));
    expect(authError.code).toBe('auth-failed');
    expect(authError.message).toMatch(/username or password/i);

    const gone = await makeRig({ start: false });
    await gone.sim.stop(); // nothing listens on the port any more
    gone.adapter.start();
    await waitFor(() => gone.adapter.link.status === 'offline', 'offline');
    const offline = await rejection(dialAs(gone.adapter, '0220282028'));
    expect(offline.code).toBe('offline');
    expect(offline.message).toMatch(/refused/i);
  });

  it('takes the 408 path when the greeting has no nonce: offline, then tries again', async () => {
    const rig = await makeRig({ sim: { greeting: 'without-nonce', loginTimeoutMs: 100 } });
    await waitFor(() => rig.links.some((state) => state.status === 'offline'), 'offline');
    expect(rig.links.find((state) => state.status === 'offline')).toMatchObject({
      reason: expect.stringMatching(/logging in .*too long.*no nonce/i),
    });
    await waitFor(() => rig.sim.connections.length >= 2, 'a new connection');
    expect(rig.log.text()).toMatch(/greeting carried no nonce/);
  });

  it('logs out on stop, and leaves no socket or reconnect behind', async () => {
    const rig = await makeRig();
    await rig.online();
    await rig.adapter.stop();
    expect(rig.sim.logouts).toEqual([{ connectionId: 1, username: USERNAME }]);
    await waitFor(() => rig.sim.openConnections === 0, 'the simulator to see no connection');
    expect(rig.adapter.link.status).toBe('stopped');
    await rig.adapter.stop(); // idempotent
    await delay(200);
    expect(rig.sim.connections).toHaveLength(1);
  });

  it('clears every timer on stop, also mid-backoff', async () => {
    const timers = trackTimers();
    try {
      const rig = await makeRig({ adapter: { backoffBaseMs: 60_000, backoffCapMs: 60_000 } });
      await rig.online();
      rig.sim.dropConnections();
      await waitFor(() => rig.adapter.link.status === 'offline', 'offline (waiting to retry)');
      await rig.adapter.stop();
      await rig.sim.stop();
      await waitFor(() => timers.pending() === 0, 'no timer left');
    } finally {
      timers.disable();
    }
  });

  it('stops within the grace period when the server never answers the logout', async () => {
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => silent.once('listening', resolve));
    let open = 0;
    silent.on('connection', (socket) => {
      open += 1;
      socket.on('close', () => (open -= 1));
      socket.send(JSON.stringify({ ...SIM_REPLIES.greeting, nonce: 'n0nce-for-silent-server' }));
      socket.on('message', (data) => {
        if (JSON.parse(data.toString()).action === 'user.login')
          socket.send(JSON.stringify(SIM_REPLIES.loggedIn));
      });
    });
    try {
      const port = (silent.address() as { port: number }).port;
      const rig = await makeRig({ profile: { url: `ws://127.0.0.1:${port}` } });
      await rig.online();
      await rig.adapter.stop();
      await waitFor(() => open === 0, 'the socket to be closed');
    } finally {
      for (const client of silent.clients) client.terminate();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('never writes the password, hashes or nonces to the log, even at debug level', async () => {
    const rig = await makeRig();
    await rig.online();
    const { callId } = await dialAs(rig.adapter, '0220282028');
    await rig.callEvent('connected', callId);
    await rig.adapter.hangup(callId);
    rig.sim.announceRestart();
    await rig.online(2);
    await rig.adapter.stop();
    const text = rig.log.text();
    expect(rig.log.lines.length).toBeGreaterThan(5);
    const secrets = [PASSWORD, credentialDigest(USERNAME, PASSWORD)];
    for (const connection of rig.sim.connections) {
      secrets.push(connection.nonce, loginHash(USERNAME, PASSWORD, connection.nonce));
    }
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('reports the extension it serves when online', async () => {
    const rig = await makeRig();
    await rig.online();
    expect(rig.adapter.link).toEqual({ status: 'online', detail: `extension ${EXTENSION}` });
    expect(rig.adapter.warnings()).toEqual([]);
  });
});
