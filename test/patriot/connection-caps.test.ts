// Connection floods and stalls: the caps and timeouts that keep a local attacker from exhausting the bridge.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UNAUTHENTICATED } from '../../src/main/engine/patriot/server';
import { ensureCertificate, type ServerCertificate } from '../../src/main/engine/tls/certificate';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import type { JsonPeer } from '../support/ws-peer';
import { API_KEY, startServer, type RunningServer } from './helpers';

let certificate: ServerCertificate;
let cleanupCert: () => Promise<void>;
const running: RunningServer[] = [];
const peers: JsonPeer[] = [];

beforeAll(async () => {
  const { dir, cleanup } = await makeTempDir();
  cleanupCert = cleanup;
  certificate = await ensureCertificate(dir);
});
afterAll(() => cleanupCert());
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
  for (const running1 of running.splice(0)) await running1.server.stop();
});

describe('Patriot server connection caps', () => {
  it(`keeps at most ${MAX_UNAUTHENTICATED} unauthenticated connections, shedding the oldest; Patriot still gets in`, async () => {
    const server = await startServer(certificate);
    running.push(server);
    const flood: JsonPeer[] = [];
    for (let i = 0; i < MAX_UNAUTHENTICATED + 4; i++) {
      const peer = await server.connect();
      flood.push(peer);
      peers.push(peer);
    }
    // The four oldest were closed to make room; the newest are open.
    await waitFor(() => flood.slice(0, 4).every((peer) => peer.closed !== null), 'the oldest shed');
    expect(flood.slice(4).every((peer) => peer.closed === null)).toBe(true);
    expect(server.server.view().peers.length).toBe(MAX_UNAUTHENTICATED);

    const legit = await server.connect();
    peers.push(legit);
    legit.send({ type: 'authentication-request', payload: { requestId: 'ok', apiKey: API_KEY } });
    expect((await legit.nextOfKey('type', 'authentication-response')).payload).toMatchObject({
      success: true,
    });
    expect(legit.closed).toBeNull();
  }, 60_000);

  it('cuts a connection that stalls before TLS or before the WebSocket upgrade', async () => {
    const server = await startServer(certificate, { timings: { upgradeTimeoutMs: 300 } });
    running.push(server);
    const port = new URL(server.url).port;
    // Raw TCP that never says hello, and TLS that never sends the HTTP upgrade.
    const silentTcp = net.connect(Number(port), '127.0.0.1');
    const silentTls = tls.connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false });
    const closed = (socket: net.Socket) =>
      new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    const started = Date.now();
    const [tcpAt, tlsAt] = await Promise.all([closed(silentTcp), closed(silentTls)]);
    // Cut by the server (the sockets would otherwise wait for ever); well before Node's 120 s default.
    expect(tcpAt - started).toBeLessThan(10_000);
    expect(tlsAt - started).toBeLessThan(10_000);
  });
});
