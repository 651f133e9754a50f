import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PatriotClient, type PatriotConnectConfig } from '../../src/main/engine/patriot/client';
import type { PatriotEndpointTimings } from '../../src/main/engine/patriot/endpoint';
import { generateCertificate, type GeneratedCertificate } from '../../src/main/engine/tls/certificate';
import { DesktopApiServerSim, type SimConnection } from '../../src/main/headless/patriot-sim';
import { captureLog, type CapturedLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';
import { delay, waitFor } from '../support/wait';
import { FakeHandler } from './helpers';

const PATRIOT_KEY = 'PATRIOT-WEBSOCKET-KEY-42';
const FAST: PatriotEndpointTimings = {
  reconnectBaseMs: 20,
  reconnectCapMs: 100,
  authRetryMs: 100,
  closeGraceMs: 200,
};

let patriotCert: GeneratedCertificate;
let otherCert: GeneratedCertificate;
let tempDir: string;
let cleanupDir: () => Promise<void>;
const sims: DesktopApiServerSim[] = [];
const clients: PatriotClient[] = [];

beforeAll(async () => {
  [patriotCert, otherCert] = await Promise.all([generateCertificate(), generateCertificate()]);
  ({ dir: tempDir, cleanup: cleanupDir } = await makeTempDir());
});

afterAll(async () => {
  await cleanupDir();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

async function startSim(
  options: { port?: number; cert?: GeneratedCertificate; autoPong?: boolean } = {},
): Promise<DesktopApiServerSim> {
  const cert = options.cert ?? patriotCert;
  const sim = new DesktopApiServerSim({
    apiKey: PATRIOT_KEY,
    cert: cert.cert,
    key: cert.key,
    port: options.port ?? 0,
    ...(options.autoPong === false ? { autoPong: false } : {}),
  });
  await sim.listen();
  sims.push(sim);
  return sim;
}

interface StartedClient {
  client: PatriotClient;
  handler: FakeHandler;
  captured: CapturedLog;
}

async function startClient(connect: Partial<PatriotConnectConfig> & { url: string }): Promise<StartedClient> {
  const handler = new FakeHandler();
  const captured = captureLog('debug');
  const client = new PatriotClient({
    connect: { apiKey: PATRIOT_KEY, caFile: null, fingerprint256: null, ...connect },
    maxPayloadBytes: 65_536,
    handler,
    log: captured.logger,
    timings: FAST,
  });
  clients.push(client);
  await client.start();
  return { client, handler, captured };
}

const pinned = (sim: DesktopApiServerSim) => ({ url: sim.url, fingerprint256: patriotCert.fingerprint256 });

describe('PatriotClient', () => {
  it('authenticates, reports the current status and serves dial, hangup and status requests', async () => {
    const sim = await startSim();
    const authenticated = sim.nextAuthenticated();
    const { client, handler, captured } = await startClient(pinned(sim));
    handler.status = { callActive: false };
    const patriot = await authenticated;
    await waitFor(() => patriot.statuses.length === 1, 'the status sent after authentication');
    expect(patriot.statuses[0]).toEqual({ callActive: false });
    await waitFor(() => client.view().link.status === 'online', 'the link to be online');
    expect(client.view().peers).toEqual([
      expect.objectContaining({ kind: 'outbound', authenticated: true, label: new URL(sim.url).host }),
    ]);
    expect(sim.authResults).toEqual([{ success: true }]);

    patriot.dial('+44 (20) 7946-0000');
    await waitFor(() => handler.dials.length === 1, 'the dial to reach the handler');
    expect(handler.dials[0]?.request).toEqual({ phoneNo: '+442079460000', rawPhoneNo: '+44 (20) 7946-0000' });

    patriot.hangup();
    await waitFor(() => handler.hangups.length === 1, 'the hangup to reach the handler');

    handler.status = { callActive: true, outbound: true, callerId: '7946' };
    patriot.requestStatus();
    await waitFor(() => patriot.statuses.length === 2, 'the reply to call-status-request');
    expect(patriot.statuses[1]).toEqual({ callActive: true, outbound: true, callerId: '7946' });

    client.broadcast({ callActive: false });
    await waitFor(() => patriot.statuses.length === 3, 'the broadcast status');
    expect(patriot.statuses[2]).toEqual({ callActive: false });
    expect(captured.text()).not.toContain(PATRIOT_KEY);
  });

  it("shows auth-failed with Patriot's error, tells the handler once, and retries slowly", async () => {
    const sim = await startSim();
    const { client, handler } = await startClient({ ...pinned(sim), apiKey: 'NOT-THE-PATRIOT-KEY' });
    await waitFor(() => client.view().link.status === 'auth-failed', 'the auth-failed link');
    expect(client.view().link).toEqual({
      status: 'auth-failed',
      reason: 'Patriot refused the API key: Invalid API key',
    });
    await waitFor(() => sim.authResults.length >= 3, 'further attempts after the retry delay');
    expect(sim.authResults.every((result) => !result.success)).toBe(true);
    expect(handler.authFailures).toEqual([
      {
        peer: expect.objectContaining({ id: 'patriot' }),
        reason: 'Patriot refused the API key: Invalid API key',
      },
    ]);
  });

  it('reconnects and authenticates again after Patriot drops the connection', async () => {
    const sim = await startSim();
    const first = sim.nextAuthenticated();
    const { client } = await startClient(pinned(sim));
    await first;
    const second = sim.nextAuthenticated();
    sim.dropAll();
    const again: SimConnection = await second;
    expect(sim.authResults).toEqual([{ success: true }, { success: true }]);
    await waitFor(() => client.view().link.status === 'online', 'the link to be online again');
    client.broadcast({ callActive: true });
    await waitFor(() => again.statuses.some((status) => status.callActive), 'a status on the new connection');
  });

  it('starts without waiting for Patriot and connects once it is up', async () => {
    const port = await freePort();
    const url = `wss://127.0.0.1:${port}/ws/dialler/v1`;
    const { client } = await startClient({ url, fingerprint256: patriotCert.fingerprint256 });
    await waitFor(() => client.view().link.status === 'offline', 'the offline link');
    expect(client.view().link).toMatchObject({
      status: 'offline',
      reason: expect.stringMatching(/nothing is listening/),
    });
    const sim = await startSim({ port });
    await sim.nextAuthenticated();
    await waitFor(() => client.view().link.status === 'online', 'the link to be online');
  });

  it('refuses a certificate whose fingerprint does not match the pin, before sending the key', async () => {
    const sim = await startSim();
    const connections: SimConnection[] = [];
    sim.on('connection', (connection) => connections.push(connection));
    const { client, handler } = await startClient({ url: sim.url, fingerprint256: otherCert.fingerprint256 });
    await waitFor(() => client.view().link.status === 'auth-failed', 'the auth-failed link');
    expect(client.view().link).toEqual({
      status: 'auth-failed',
      reason: `certificate fingerprint mismatch: expected ${otherCert.fingerprint256} got ${patriotCert.fingerprint256}`,
    });
    expect(handler.authFailures).toHaveLength(1);
    await waitFor(
      () => connections.length > 0 && connections.every((c) => c.closed),
      'the connection to close',
    );
    expect(connections.flatMap((c) => c.received)).toEqual([]);
    expect(sim.authResults).toEqual([]);
  });

  it("trusts Patriot's certificate from caFile, and not a different one", async () => {
    const caFile = path.join(tempDir, 'patriot-ca.pem');
    await writeFile(caFile, patriotCert.cert);
    const sim = await startSim();
    const authenticated = sim.nextAuthenticated();
    await startClient({ url: sim.url, caFile });
    await authenticated;

    const impostor = await startSim({ cert: otherCert });
    const { client } = await startClient({ url: impostor.url, caFile });
    await waitFor(
      () => client.view().link.status === 'auth-failed',
      'the untrusted certificate to be refused',
    );
    expect(client.view().link).toMatchObject({ reason: expect.stringMatching(/certificate is not trusted/) });
    expect(impostor.authResults).toEqual([]);
  });

  it('rejects start() when caFile is missing, naming the file', async () => {
    const missing = path.join(tempDir, 'nope.pem');
    await expect(startClient({ url: 'wss://127.0.0.1:9/ws/dialler/v1', caFile: missing })).rejects.toThrow(
      `patriot.connect.caFile not found: ${missing}`,
    );
  });

  it('stop() closes the connection and does not reconnect', async () => {
    const sim = await startSim();
    const authenticated = sim.nextAuthenticated();
    const { client } = await startClient(pinned(sim));
    const patriot = await authenticated;
    await Promise.all([client.stop(), client.stop()]);
    await waitFor(() => patriot.closed, 'the connection to close');
    expect(patriot.closed?.code).toBe(1001);
    expect(client.view()).toMatchObject({ link: { status: 'stopped' }, peers: [] });
    let reconnected = false;
    sim.on('connection', () => (reconnected = true));
    await delay(3 * (FAST.reconnectCapMs ?? 0));
    expect(reconnected).toBe(false);
  });

  it('terminates a Patriot that stops answering pings, then reconnects', async () => {
    const sim = await startSim({ autoPong: false });
    const first = sim.nextAuthenticated();
    const handler = new FakeHandler();
    const client = new PatriotClient({
      connect: {
        url: sim.url,
        apiKey: PATRIOT_KEY,
        caFile: null,
        fingerprint256: patriotCert.fingerprint256,
      },
      maxPayloadBytes: 65_536,
      handler,
      log: captureLog().logger,
      timings: { ...FAST, pingIntervalMs: 40 },
    });
    clients.push(client);
    await client.start();
    const silent = await first;
    const second = sim.nextAuthenticated();
    await waitFor(() => silent.closed, 'the silent connection to be terminated');
    await second;
    expect(sim.authResults).toEqual([{ success: true }, { success: true }]);
  });
});

/** A port that nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
