import type { PatriotCallStatus } from '../../src/shared/bridge-types';
import type { PatriotConfig } from '../../src/main/engine/config/schema';
import type {
  DialRequestPayload,
  PatriotEndpointTimings,
  PatriotPeerRef,
  PatriotRequestHandler,
} from '../../src/main/engine/patriot/endpoint';
import { PatriotServer } from '../../src/main/engine/patriot/server';
import type { ServerCertificate } from '../../src/main/engine/tls/certificate';
import type { BackpressureLimits } from '../../src/main/engine/patriot/peer-channel';
import { captureLog, type CapturedLog } from '../support/log-capture';
import { JsonPeer } from '../support/ws-peer';

/** A bridge stand-in that records what the endpoint asks of it. */
export class FakeHandler implements PatriotRequestHandler {
  readonly dials: { request: DialRequestPayload; peer: PatriotPeerRef }[] = [];
  readonly hangups: PatriotPeerRef[] = [];
  readonly authFailures: { peer: PatriotPeerRef; reason: string }[] = [];
  viewChanges = 0;
  status: PatriotCallStatus = { callActive: false };
  onDial: ((request: DialRequestPayload) => void) | null = null;
  onHangup: (() => void) | null = null;

  dial(request: DialRequestPayload, peer: PatriotPeerRef): void {
    this.dials.push({ request, peer });
    this.onDial?.(request);
  }
  hangup(peer: PatriotPeerRef): void {
    this.hangups.push(peer);
    this.onHangup?.();
  }
  currentStatus(): PatriotCallStatus {
    return this.status;
  }
  viewChanged(): void {
    this.viewChanges += 1;
  }
  authFailed(peer: PatriotPeerRef, reason: string): void {
    this.authFailures.push({ peer, reason });
  }
}

export const PATH = '/ws/dialler/v1';
export const API_KEY = 'TESTKEY-7QX2M4VR9P3LZ8KD';

export function serverConfig(overrides: Partial<PatriotConfig> = {}): PatriotConfig {
  return {
    mode: 'server',
    listen: { host: '127.0.0.1', port: 0, path: PATH },
    apiKeys: [API_KEY],
    allowedOrigins: [],
    tls: { certFile: null, keyFile: null },
    maxPayloadBytes: 65_536,
    ...overrides,
  };
}

export interface RunningServer {
  server: PatriotServer;
  handler: FakeHandler;
  captured: CapturedLog;
  url: string;
  /** Opens a WebSocket that trusts the test certificate. */
  connect(options?: { origin?: string; autoPong?: boolean; path?: string }): Promise<JsonPeer>;
  /** Opens a WebSocket and authenticates it with authentication-request. */
  connectAuthenticated(): Promise<JsonPeer>;
}

export async function startServer(
  certificate: ServerCertificate,
  options: {
    config?: Partial<PatriotConfig>;
    timings?: PatriotEndpointTimings;
    backpressure?: BackpressureLimits;
  } = {},
): Promise<RunningServer> {
  const handler = new FakeHandler();
  const captured = captureLog('debug');
  const config = serverConfig(options.config);
  const server = new PatriotServer({
    config,
    apiKeys: config.apiKeys,
    apiKeyFile: null,
    certificate,
    handler,
    log: captured.logger,
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.backpressure ? { backpressure: options.backpressure } : {}),
  });
  await server.start();
  const url = server.setup().url!;
  const connect: RunningServer['connect'] = (peerOptions = {}) =>
    JsonPeer.connect(peerOptions.path ? url.replace(PATH, peerOptions.path) : url, {
      ca: certificate.cert,
      ...(peerOptions.origin ? { origin: peerOptions.origin } : {}),
      ...(peerOptions.autoPong === false ? { autoPong: false } : {}),
    });
  return {
    server,
    handler,
    captured,
    url,
    connect,
    async connectAuthenticated() {
      const peer = await connect();
      peer.send({ type: 'authentication-request', payload: { requestId: 'auth', apiKey: API_KEY } });
      const response = await peer.nextOfKey('type', 'authentication-response');
      if ((response.payload as { success: boolean }).success !== true)
        throw new Error('authentication failed');
      return peer;
    },
  };
}
