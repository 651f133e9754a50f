// "Retry now" while a connection hangs (the server accepted TCP but never answers the upgrade): every
// adapter must drop the stuck attempt and connect again at once, not wait for its own timeout.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/main/engine/log/logger';
import type { AdapterContext, PbxAdapter } from '../../../src/main/engine/pbx/adapter';
import { createBasixAdapter } from '../../../src/main/engine/pbx/basix/adapter';
import { basixProfileSchema } from '../../../src/main/engine/pbx/basix/profile';
import { createInnovaphoneAdapter } from '../../../src/main/engine/pbx/innovaphone/adapter';
import { innovaphoneProfileSchema } from '../../../src/main/engine/pbx/innovaphone/profile';
import { createViptelAdapter } from '../../../src/main/engine/pbx/viptel/adapter';
import { viptelProfileSchema } from '../../../src/main/engine/pbx/viptel/profile';
import { testCallId } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';

const ctx: AdapterContext = {
  log: silentLogger,
  newCallId: testCallId,
  events: { link: () => undefined, call: () => undefined },
};
/** Far beyond the test's waits: only retryNow() can make the second connection come in time. */
const SLOW = { backoff: { baseMs: 60_000, capMs: 60_000, minUptimeMs: 10_000 } };

const ADAPTERS: Record<string, (port: number) => PbxAdapter> = {
  viptel: (port) =>
    createViptelAdapter(
      viptelProfileSchema.parse({
        id: 'v',
        name: 'V',
        type: 'viptel',
        url: `ws://127.0.0.1:${port}`,
        username: 'u',
        password: 'p',
        extension: '12',
      }),
      ctx,
      { ...SLOW, loginTimeoutMs: 60_000 },
    ),
  innovaphone: (port) =>
    createInnovaphoneAdapter(
      innovaphoneProfileSchema.parse({
        id: 'i',
        name: 'I',
        type: 'innovaphone',
        url: `ws://127.0.0.1:${port}/PBX0/APPS/websocket`,
        app: 'a',
        password: 'p',
        user: 'U',
      }),
      ctx,
      { ...SLOW, requestTimeoutMs: 60_000 },
    ),
  basix: (port) =>
    createBasixAdapter(
      basixProfileSchema.parse({
        id: 'b',
        name: 'B',
        type: 'basix',
        url: `http://127.0.0.1:${port}`,
        domain: 'd',
        token: 't',
        userName: 'u',
      }),
      ctx,
      { ...SLOW, openTimeoutMs: 60_000 },
    ),
};

describe('retryNow() with a connection attempt that hangs', () => {
  let server: Server | null = null;
  let adapter: PbxAdapter | null = null;
  const sockets: Socket[] = [];
  afterEach(async () => {
    await adapter?.stop();
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
    adapter = null;
  });

  it.each(Object.keys(ADAPTERS))('%s connects again at once', async (name) => {
    server = createServer((socket) => sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    adapter = ADAPTERS[name]!(port);
    adapter.start();
    await waitFor(() => sockets.length === 1, 'the first, stuck connection');
    expect(adapter.link.status).toBe('connecting');
    adapter.retryNow?.();
    await waitFor(() => sockets.length === 2, 'a new connection at once');
  });
});
