// The ws_cti link against the simulator: login header, refusals that must not hammer the server, the
// connection slot, the operator's user, drops and a PBX restart.
import { afterEach, describe, expect, it } from 'vitest';
import { SIM_TOKEN } from '../../../src/main/engine/pbx/basix/simulator';
import { delay, waitFor } from '../../support/wait';
import { dialAs } from '../../support/adapter-dial';
import { OPERATOR, startHarness, stopAllHarnesses } from './harness';

afterEach(stopAllHarnesses);

describe('basix link', () => {
  it('logs in with Basic auth in a header, no credentials in the URL, deflate off, and goes online', async () => {
    const h = await startHarness();
    const online = await h.waitForLink('online');
    expect(online).toMatchObject({ detail: expect.stringContaining(`"${OPERATOR}" (id 10001001)`) });
    const [connection] = h.sim.connections;
    expect(connection).toMatchObject({ appName: 'dialler-bridge', userName: OPERATOR, forced: false });
    expect(h.sim.upgradeRequests[0]!.url).not.toContain(SIM_TOKEN);
    expect(h.sim.upgradeRequests[0]!.headers['sec-websocket-extensions']).toBeUndefined();
    expect(h.log.text()).not.toContain(SIM_TOKEN);
  });

  it('a refused token (401) is auth-failed, retried only slowly, and at once on retryNow()', async () => {
    const h = await startHarness({ profile: { token: 'wrong-token-123' } });
    const failed = await h.waitForLink('auth-failed');
    expect(failed).toMatchObject({
      reason: expect.stringMatching(/refused the login \(HTTP 401\).*"domain" and "token"/),
    });
    const attempts = h.sim.upgradeRequests.length;
    // Proof the wait could see a retry: retryNow() below produces one within the same kind of wait.
    await delay(300);
    expect(h.sim.upgradeRequests.length).toBe(attempts);
    h.adapter.retryNow();
    await waitFor(() => h.sim.upgradeRequests.length === attempts + 1, 'a retry on request');
    expect(h.log.text()).not.toContain('wrong-token-123');
  });

  it('connection_limit_reached: offline with the explanation, and it does not fight for the slot', async () => {
    const first = await startHarness();
    await first.waitForLink('online');
    const second = await startHarness({ existing: first.sim });
    await second.waitForLink('online');
    const third = await startHarness({ existing: first.sim });
    await waitFor(() => third.adapter.link.status === 'offline' && third.adapter.link, 'third offline');
    expect(third.adapter.link).toMatchObject({
      reason: expect.stringContaining(
        "Another program (or another Dialler Bridge) uses this Basix user's CTI connection",
      ),
    });
    const tries = first.sim.connections.length;
    await delay(300);
    expect(first.sim.connections.length).toBe(tries);
    // Proof the wait would have seen a retry: asked to, it tries (and is refused) again at once.
    third.adapter.retryNow();
    await waitFor(() => first.sim.connections.length === tries + 1, 'a retry on request');
    // The two holders of the slot were never disturbed.
    expect(first.adapter.link.status).toBe('online');
    expect(second.adapter.link.status).toBe('online');
  });

  it('forced: true takes the slot over; the replaced bridge explains and backs off instead of taking it back', async () => {
    const first = await startHarness();
    await first.waitForLink('online');
    const second = await startHarness({ existing: first.sim });
    await second.waitForLink('online');
    const forced = await startHarness({ existing: first.sim, profile: { forced: true } });
    await forced.waitForLink('online');
    expect(forced.adapter.warnings().join(' ')).toMatch(/takes over the CTI connection/);
    await waitFor(() => first.adapter.link.status === 'offline' && first.adapter.link, 'the oldest replaced');
    expect(first.adapter.link).toMatchObject({
      reason: expect.stringContaining('another program took it over'),
    });
    const tries = first.sim.connections.length;
    await delay(300);
    expect(first.sim.connections.length).toBe(tries);
    expect(forced.adapter.link.status).toBe('online');
  });

  it('a userName Basix does not know: offline naming the user, no reconnect loop', async () => {
    const h = await startHarness({ profile: { userName: 'nobody' } });
    await waitFor(() => h.adapter.link.status === 'offline' && h.adapter.link, 'offline');
    expect(h.adapter.link).toMatchObject({ reason: expect.stringContaining('no user named "nobody"') });
    await delay(200);
    expect(h.sim.connections).toHaveLength(1);
  });

  it('reconnects after a drop, and after a PBX restart the state comes from the new initial_info', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    h.sim.placeInboundCall({ from: '0311112222', toUser: OPERATOR });
    const ringing = await h.waitForCall('ringing');
    h.sim.dropConnections();
    await waitFor(
      () => h.calls.some((e) => e.kind === 'ended' && e.callId === ringing.callId),
      'link-lost end',
    );
    await waitFor(() => h.adapter.link.status === 'online' && h.sim.openConnections === 1, 'online again');
    // The call still rings at the PBX: initial_info of the new connection reports it again, as a new call.
    await waitFor(() => h.calls.filter((e) => e.kind === 'ringing').length === 2, 'the live call again');
    h.sim.restart();
    await waitFor(() => h.calls.filter((e) => e.kind === 'ended').length === 2, 'ended with the restart');
    await waitFor(
      () => h.adapter.link.status === 'online' && h.sim.openConnections === 1,
      'online after restart',
    );
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    expect(h.calls.filter((e) => e.kind === 'ringing')).toHaveLength(3);
  });

  it('a frame that is not ETF is skipped with a warning; the link and calls go on', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    h.sim.sendRaw(Buffer.from([131, 104, 9, 1]));
    h.sim.sendRaw(Buffer.from('not etf'));
    await waitFor(
      () =>
        h.log.records().filter((r) => r.msg === 'Basix sent a frame that is not a ws_cti message; skipped')
          .length === 2,
      'two warnings',
    );
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    expect(h.adapter.link.status).toBe('online');
  });

  it('stop closes the socket and frees the slot', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    expect(h.sim.openConnections).toBe(1);
    await h.adapter.stop();
    await waitFor(() => h.sim.openConnections === 0, 'the socket closed');
    expect(h.adapter.link.status).toBe('stopped');
  });
});
