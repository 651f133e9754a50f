import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BridgeNotice } from '../../src/shared/bridge-types';
import { Bridge, type ResolvedConfig } from '../../src/main/engine/bridge/bridge';
import { parseConfig } from '../../src/main/engine/config/load';
import { createPatriotEndpoint } from '../../src/main/engine/patriot/create-endpoint';
import { createAdapter } from '../../src/main/engine/pbx/registry';
import { captureLog, type CapturedLog } from './log-capture';
import { makeTempDir } from './temp-dir';
import { waitFor } from './wait';
import { JsonPeer } from './ws-peer';

export const TEST_API_KEY = 'test-api-key-0123456789';

export interface BridgeHarness {
  bridge: Bridge;
  log: CapturedLog;
  dataDir: string;
  notices: BridgeNotice[];
  /** wss URL of the bridge's Patriot endpoint. */
  url: string;
  /** A Patriot peer that has authenticated with init-request (Patriot's Websocket Client Dialler). */
  connectPatriot(options?: { userName?: string }): Promise<JsonPeer>;
  /** Waits for the PBX link, connects Patriot and takes its first status (callActive:false). */
  readyPatriot(): Promise<JsonPeer>;
  close(): Promise<void>;
}

/** A real bridge (real endpoint, real adapters) on 127.0.0.1:0 with a temp dataDir. */
export async function startBridge(raw: Record<string, unknown>): Promise<BridgeHarness> {
  const { dir, cleanup } = await makeTempDir();
  const patriot = { listen: { port: 0 }, apiKeys: [TEST_API_KEY], ...(raw.patriot as object | undefined) };
  const input = { ...raw, patriot };
  const config: ResolvedConfig = { ...parseConfig(input, 'test.json'), dataDir: dir };
  const log = captureLog('debug');
  const bridge = new Bridge(config, {
    log: log.logger,
    createEndpoint: createPatriotEndpoint,
    createAdapter,
    patriotTimings: { closeGraceMs: 100, pingIntervalMs: 60_000 },
  });
  const notices: BridgeNotice[] = [];
  bridge.subscribe({ notice: (n) => notices.push(n) });
  await bridge.start();
  const url = bridge.snapshot().patriot.endpoint;
  const ca = await readFile(path.join(dir, 'bridge-cert.pem'), 'utf8');
  const peers: JsonPeer[] = [];
  const connectPatriot = async ({ userName = 'operator-1' } = {}) => {
    const peer = await JsonPeer.connect(url, { ca });
    peers.push(peer);
    peer.send({ type: 'init-request', payload: { userName, password: TEST_API_KEY } });
    const response = await peer.nextOfKey('type', 'init-response');
    if ((response.payload as { success?: boolean }).success !== true) throw new Error('init failed');
    return peer;
  };
  return {
    bridge,
    log,
    dataDir: dir,
    notices,
    url,
    connectPatriot,
    async readyPatriot() {
      await waitFor(() => bridge.snapshot().pbx.link.status === 'online', 'PBX online');
      const peer = await connectPatriot();
      await nextStatus(peer);
      return peer;
    },
    async close() {
      await Promise.all(peers.map((p) => p.close()));
      await bridge.stop();
      await cleanup();
    },
  };
}

/** The payload of the next call-status-update the peer receives. */
export async function nextStatus(peer: JsonPeer, timeoutMs?: number): Promise<Record<string, unknown>> {
  const message = await peer.next((m) => m.type === 'call-status-update', 'call-status-update', timeoutMs);
  return message.payload as Record<string, unknown>;
}
