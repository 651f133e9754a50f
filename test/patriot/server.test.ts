import https from 'node:https';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PatriotServer } from '../../src/main/engine/patriot/server';
import { ensureCertificate, type ServerCertificate } from '../../src/main/engine/tls/certificate';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import type { JsonPeer } from '../support/ws-peer';
import { API_KEY, FakeHandler, PATH, serverConfig, startServer, type RunningServer } from './helpers';
import { captureLog } from '../support/log-capture';

let certificate: ServerCertificate;
let cleanupDir: () => Promise<void>;
const running: RunningServer[] = [];
const peers: JsonPeer[] = [];

beforeAll(async () => {
  const temp = await makeTempDir();
  cleanupDir = temp.cleanup;
  certificate = await ensureCertificate(temp.dir);
});

afterAll(async () => {
  await cleanupDir();
});

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
  await Promise.all(running.splice(0).map((r) => r.server.stop()));
});

async function start(options: Parameters<typeof startServer>[1] = {}): Promise<RunningServer> {
  const server = await startServer(certificate, options);
  running.push(server);
  return server;
}

async function open(
  server: RunningServer,
  options?: Parameters<RunningServer['connect']>[0],
): Promise<JsonPeer> {
  const peer = await server.connect(options);
  peers.push(peer);
  return peer;
}

async function openAuthenticated(server: RunningServer): Promise<JsonPeer> {
  const peer = await server.connectAuthenticated();
  peers.push(peer);
  return peer;
}

/** Everything the server sent before answering this heartbeat (one connection's frames stay in order). */
async function drain(peer: JsonPeer): Promise<Record<string, unknown>[]> {
  const before = peer.received.length;
  peer.send({ type: 'heartbeat' });
  await peer.nextOfKey('type', 'heartbeat-response');
  return peer.received.slice(before, -1);
}

const payloadOf = (message: Record<string, unknown>) => message.payload as Record<string, unknown>;

describe('PatriotServer authentication', () => {
  it('accepts authentication-request, echoes requestId and sends the current status', async () => {
    const server = await start();
    server.handler.status = { callActive: true, outbound: true, callerId: '555' };
    const peer = await open(server);
    peer.send({ type: 'authentication-request', payload: { requestId: 'r-42', apiKey: API_KEY } });
    expect(payloadOf(await peer.nextOfKey('type', 'authentication-response'))).toEqual({
      requestId: 'r-42',
      success: true,
    });
    expect(payloadOf(await peer.nextOfKey('type', 'call-status-update'))).toEqual({
      callActive: true,
      outbound: true,
      callerId: '555',
    });
    expect(server.server.view().peers).toEqual([
      expect.objectContaining({ kind: 'inbound', authenticated: true }),
    ]);
  });

  it('answers an authentication-request without requestId with requestId ""', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'authentication-request', payload: { apiKey: API_KEY } });
    expect(payloadOf(await peer.nextOfKey('type', 'authentication-response'))).toEqual({
      requestId: '',
      success: true,
    });
  });

  it('accepts init-request with the key as "password" and labels the peer with userName', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'init-request', payload: { userName: 'operator-7', password: API_KEY } });
    expect(payloadOf(await peer.nextOfKey('type', 'init-response'))).toEqual({ success: true });
    await peer.nextOfKey('type', 'call-status-update');
    expect(server.server.view().peers[0]).toMatchObject({ authenticated: true, label: 'operator-7' });
    expect(server.handler.viewChanges).toBeGreaterThan(0);
  });

  it('accepts init-request with the key as "apiKey"', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'init-request', payload: { apiKey: API_KEY } });
    expect(payloadOf(await peer.nextOfKey('type', 'init-response'))).toEqual({ success: true });
  });

  it('refuses a wrong key at once, tells the handler, logs a warning without the key', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'init-request', payload: { userName: 'x', password: 'WRONG-KEY-123456' } });
    expect(payloadOf(await peer.nextOfKey('type', 'init-response'))).toEqual({
      success: false,
      error: 'invalid API key',
    });
    expect(server.handler.authFailures).toEqual([
      { peer: expect.objectContaining({ id: expect.any(String) }), reason: 'invalid API key' },
    ]);
    expect(await drain(peer)).toEqual([]);
    expect(
      server.captured.records().some((r) => r.level === 'warn' && r.msg === 'Patriot authentication failed'),
    ).toBe(true);
    expect(server.captured.text()).not.toContain('WRONG-KEY-123456');
    expect(server.server.view().peers[0]?.authenticated).toBe(false);
  });

  it('answers an init-request without a key with a clear error', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'init-request', payload: { userName: 'x' } });
    const response = payloadOf(await peer.nextOfKey('type', 'init-response'));
    expect(response.success).toBe(false);
    expect(response.error).toMatch(/no API key/);
  });

  it('ignores every request before authentication (no reply, no handler call)', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'dial-request', payload: { phoneNo: '123', rawPhoneNo: '123' } });
    peer.send({ type: 'hangup-request' });
    peer.send({ type: 'call-status-request' });
    expect(await drain(peer)).toEqual([]);
    expect(server.handler.dials).toEqual([]);
    expect(server.handler.hangups).toEqual([]);
  });

  it('answers heartbeat before and after authentication', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'heartbeat' });
    expect(await peer.nextOfKey('type', 'heartbeat-response')).toEqual({ type: 'heartbeat-response' });
    peer.send({ type: 'authentication-request', payload: { apiKey: API_KEY } });
    await peer.nextOfKey('type', 'authentication-response');
    peer.send({ type: 'heartbeat' });
    expect(await peer.nextOfKey('type', 'heartbeat-response')).toEqual({ type: 'heartbeat-response' });
  });

  it('closes a connection after 3 failed attempts', async () => {
    const server = await start();
    const peer = await open(server);
    for (let i = 0; i < 3; i++) {
      peer.send({
        type: 'authentication-request',
        payload: { requestId: `r${i}`, apiKey: `wrong-key-${i}` },
      });
      await peer.nextOfKey('type', 'authentication-response');
    }
    await waitFor(() => peer.closed, 'the connection to close');
    expect(peer.closed).toEqual({ code: 1008, reason: 'too many failed attempts' });
  });

  it('a flood of wrong keys never locks the right key out, and gets at most 20 answers in 8 s', async () => {
    const server = await start();
    // 30 guessing connections, 3 wrong keys each, all at once (like a local attacker after Patriot restarts).
    const guessers = await Promise.all(Array.from({ length: 30 }, () => open(server)));
    for (const [i, peer] of guessers.entries()) {
      for (let n = 0; n < 3; n++) {
        peer.send({
          type: 'authentication-request',
          payload: { requestId: `g${i}-${n}`, apiKey: `guess-${i}-${n}-xxxx` },
        });
      }
    }
    // The real Patriot connects in the middle of the flood: accepted at once.
    const legit = await open(server);
    legit.send({ type: 'authentication-request', payload: { requestId: 'ok', apiKey: API_KEY } });
    expect(payloadOf(await legit.nextOfKey('type', 'authentication-response'))).toEqual({
      requestId: 'ok',
      success: true,
    });

    await waitFor(() => guessers.every((peer) => peer.closed !== null), 'every guessing connection closed');
    const answers = guessers.flatMap((peer) =>
      peer.received.filter((m) => m.type === 'authentication-response'),
    );
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThanOrEqual(20);
    expect(answers.every((m) => payloadOf(m).success === false)).toBe(true);
    // The operator hears about the burst once, not 90 times.
    expect(server.handler.authFailures).toHaveLength(1);
  });

  it('closes a connection that does not authenticate in time, not an authenticated one', async () => {
    const server = await start({ timings: { authTimeoutMs: 150 } });
    const authenticated = await openAuthenticated(server);
    const idle = await open(server);
    await waitFor(() => idle.closed, 'the idle connection to close');
    expect(idle.closed).toEqual({ code: 1008, reason: 'authentication timeout' });
    expect(authenticated.closed).toBeNull();
    expect(await drain(authenticated)).toEqual([]);
  });
});

describe('PatriotServer requests', () => {
  it('passes dial, hangup and call-status-request to the handler', async () => {
    const server = await start();
    const peer = await open(server);
    peer.send({ type: 'init-request', payload: { userName: 'desk-1', password: API_KEY } });
    await peer.nextOfKey('type', 'call-status-update');

    peer.send({ type: 'dial-request', payload: { phoneNo: '+0123456789', rawPhoneNo: '+01 (2) 3-456-789' } });
    peer.send({ type: 'hangup-request' });
    await drain(peer);
    expect(server.handler.dials).toEqual([
      {
        request: { phoneNo: '+0123456789', rawPhoneNo: '+01 (2) 3-456-789' },
        peer: expect.objectContaining({ label: 'desk-1' }),
      },
    ]);
    expect(server.handler.hangups).toEqual([expect.objectContaining({ label: 'desk-1' })]);

    server.handler.status = { callActive: true, outbound: false, callerId: '0800' };
    peer.send({ type: 'call-status-request' });
    expect(payloadOf(await peer.nextOfKey('type', 'call-status-update'))).toEqual({
      callActive: true,
      outbound: false,
      callerId: '0800',
    });
  });

  it('broadcasts to every authenticated connection and to no unauthenticated one', async () => {
    const server = await start();
    const a = await openAuthenticated(server);
    const b = await openAuthenticated(server);
    const stranger = await open(server);
    await a.nextOfKey('type', 'call-status-update');
    await b.nextOfKey('type', 'call-status-update');

    server.server.broadcast({ callActive: true, outbound: true, callerId: '42' });
    for (const peer of [a, b]) {
      expect(payloadOf(await peer.nextOfKey('type', 'call-status-update'))).toEqual({
        callActive: true,
        outbound: true,
        callerId: '42',
      });
    }
    expect(await drain(stranger)).toEqual([]);
    expect(server.server.view().peers.filter((p) => p.authenticated)).toHaveLength(2);
  });
});

describe('PatriotServer upgrade checks', () => {
  it('answers 404 for another path', async () => {
    const server = await start();
    await expect(open(server, { path: '/other' })).rejects.toThrow('HTTP 404');
  });

  it('refuses a foreign Origin, accepts an allowed Origin and no Origin', async () => {
    const server = await start({ config: { allowedOrigins: ['https://ica.example.com'] } });
    await expect(open(server, { origin: 'https://evil.example.com' })).rejects.toThrow('HTTP 403');
    await expect(open(server, { origin: 'https://ica.example.com' })).resolves.toBeDefined();
    await expect(open(server)).resolves.toBeDefined();
    expect(server.captured.text()).toContain('https://evil.example.com');
  });

  it('answers a plain HTTPS GET with 426 on the endpoint and 404 elsewhere', async () => {
    const server = await start();
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = https.get(
          server.url.replace('wss:', 'https:').replace(PATH, path),
          { ca: certificate.cert },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
      });
    expect((await get(PATH)).status).toBe(426);
    expect((await get('/favicon.ico')).status).toBe(404);
    await openAuthenticated(server);
  });
});

describe('PatriotServer robustness', () => {
  it('drops malformed, binary and unknown frames and keeps the connection', async () => {
    const server = await start();
    const peer = await openAuthenticated(server);
    await peer.nextOfKey('type', 'call-status-update');
    peer.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    peer.send('not json at all');
    peer.send('{"type": "heartbeat",}');
    peer.send('[1,2]');
    peer.send({ type: 'make-coffee' });
    peer.send({ type: 'authentication-request', payload: { apiKey: 42 } });
    expect(await drain(peer)).toEqual([]);
    const reasons = server.captured
      .records()
      .filter((r) => r.msg === 'dropped a Patriot frame')
      .map((r) => String(r.reason));
    expect(reasons).toHaveLength(6);
    expect(reasons[0]).toMatch(/binary/);
    expect(reasons[1]).toMatch(/not valid JSON/);
    expect(reasons[2]).toMatch(/not valid JSON/);
    expect(reasons[4]).toMatch(/unknown message type "make-coffee"/);
    expect(peer.closed).toBeNull();
  });

  it('answers every malformed dial-request with callActive:false; nothing reaches the handler', async () => {
    const server = await start();
    const peer = await openAuthenticated(server);
    await peer.nextOfKey('type', 'call-status-update');
    const bad = [{ phoneNo: 12345 }, { phoneNo: null }, {}, { phoneNo: '1'.repeat(65), rawPhoneNo: 'x' }];
    for (const payload of bad) peer.send({ type: 'dial-request', payload });
    peer.send({ type: 'dial-request' });
    for (let i = 0; i < bad.length + 1; i++) {
      expect((await peer.nextOfKey('type', 'call-status-update')).payload).toEqual({ callActive: false });
    }
    expect(server.handler.dials).toEqual([]);
    const refusals = server.captured
      .records()
      .filter((r) => r.msg === 'Patriot dial-request refused: malformed');
    expect(refusals).toHaveLength(5);
    expect(String(refusals[3]?.reason)).toMatch(/^dial-request: payload\.phoneNo/);
    // The number itself is never echoed into the log.
    expect(JSON.stringify(refusals)).not.toContain('1'.repeat(65));
    expect(peer.closed).toBeNull();
  });

  it('closes an oversize frame with 1009 on that connection only', async () => {
    const server = await start({ config: { maxPayloadBytes: 1_024 } });
    const bystander = await openAuthenticated(server);
    const offender = await openAuthenticated(server);
    offender.send({ type: 'dial-request', payload: { phoneNo: '1', rawPhoneNo: 'x'.repeat(2_000) } });
    await waitFor(() => offender.closed, 'the offender to be closed');
    expect(offender.closed?.code).toBe(1009);

    server.server.broadcast({ callActive: true });
    await bystander.nextOfKey('type', 'call-status-update');
    expect(payloadOf(await bystander.nextOfKey('type', 'call-status-update'))).toEqual({ callActive: true });
    await openAuthenticated(server);
    expect(server.handler.dials).toEqual([]);
  });

  it('terminates a peer that stops answering pings and keeps one that answers', async () => {
    const server = await start({ timings: { pingIntervalMs: 40 } });
    const silent = await open(server, { autoPong: false });
    const lively = await open(server);
    let pings = 0;
    lively.socket.on('ping', () => (pings += 1));
    await waitFor(() => silent.closed, 'the silent peer to be terminated');
    expect(silent.closed?.code).toBe(1006);
    await waitFor(() => pings >= 4, 'several pings to the lively peer');
    expect(lively.closed).toBeNull();
  });

  it('rejects start() with a clear message when the port is taken', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    const handler = new FakeHandler();
    const second = new PatriotServer({
      config: serverConfig({ listen: { host: '127.0.0.1', port, path: PATH } }),
      apiKeys: [API_KEY],
      apiKeyFile: null,
      certificate,
      handler,
      log: captureLog().logger,
    });
    await expect(second.start()).rejects.toThrow(`port ${port} is in use by another program`);
    expect(second.view().link).toEqual({
      status: 'offline',
      reason: expect.stringContaining(`port ${port} is in use by another program`),
    });
    await second.stop();
    await openAuthenticated(first);
  });

  it('never logs the keys it is given, right or wrong', async () => {
    const server = await start();
    const good = await openAuthenticated(server);
    good.send({ type: 'dial-request', payload: { phoneNo: '1', rawPhoneNo: '1' } });
    const bad = await open(server);
    bad.send({ type: 'init-request', payload: { userName: 'u', password: 'WRONG-PASSWORD-99' } });
    bad.send(`{"type":"authentication-request","payload":{"apiKey":"${API_KEY}"},}`);
    await drain(bad);
    await drain(good);
    const text = server.captured.text();
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('WRONG-PASSWORD-99');
  });
});

describe('PatriotServer view, setup and stop', () => {
  it('reports the real port, the certificate and its peers', async () => {
    const server = await start();
    const port = Number(new URL(server.url).port);
    expect(port).toBeGreaterThan(0);
    expect(server.server.setup()).toEqual({
      mode: 'server',
      url: `wss://127.0.0.1:${port}${PATH}`,
      apiKeyFile: null,
      certificateFingerprint256: certificate.fingerprint256,
      certificateFile: certificate.certFile,
    });
    expect(server.server.view()).toMatchObject({
      mode: 'server',
      endpoint: `wss://127.0.0.1:${port}${PATH}`,
      link: { status: 'online' },
      peers: [],
    });
  });

  it('closes every socket with 1001 (also half-open TLS sockets), twice without harm', async () => {
    const server = await start({ timings: { closeGraceMs: 200 } });
    const a = await openAuthenticated(server);
    const b = await open(server);
    const port = Number(new URL(server.url).port);
    const raw = tls.connect({ host: '127.0.0.1', port, ca: certificate.cert });
    raw.on('error', () => undefined);
    await new Promise<void>((resolve) => raw.once('secureConnect', () => resolve()));
    let rawClosed = false;
    raw.once('close', () => (rawClosed = true));

    await Promise.all([server.server.stop(), server.server.stop()]);
    await waitFor(() => a.closed && b.closed && rawClosed, 'every socket to close');
    expect(a.closed?.code).toBe(1001);
    expect(b.closed?.code).toBe(1001);
    expect(server.server.view().link).toEqual({ status: 'stopped' });
    expect(server.server.view().peers).toEqual([]);
    await expect(server.connect()).rejects.toThrow(/ECONNREFUSED/);
    await server.server.stop();
  });

  it('terminates a peer that does not finish the close handshake', async () => {
    const server = await start({ timings: { closeGraceMs: 100 } });
    const peer = await openAuthenticated(server);
    // A peer that never answers the close frame: its socket stops reading.
    (peer.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    await server.server.stop();
    expect(server.server.view().peers).toEqual([]);
    peer.socket.terminate();
    await waitFor(() => peer.closed, 'the client side to close');
    expect(peer.socket.readyState).toBe(WebSocket.CLOSED);
  });
});
