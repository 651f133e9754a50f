import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../../src/main/engine/bridge/bridge';
import { parseConfig } from '../../src/main/engine/config/load';
import { createPatriotEndpoint } from '../../src/main/engine/patriot/create-endpoint';
import { createAdapter } from '../../src/main/engine/pbx/registry';
import { generateCertificate } from '../../src/main/engine/tls/certificate';
import { DesktopApiServerSim } from '../../src/main/headless/patriot-sim';
import { captureLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const API_KEY = 'patriot-desktop-api-key-42';

describe('bridge in client mode (Patriot Desktop API Dialler hosts the server)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('connects to Patriot, authenticates, and relays a whole call in both directions', async () => {
    const { cert, key } = await generateCertificate({});
    const patriot = new DesktopApiServerSim({ apiKey: API_KEY, cert, key });
    await patriot.listen();
    cleanups.push(() => patriot.close());
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const certFile = `${dir}/patriot-cert.pem`;
    await writeFile(certFile, cert);

    const config = parseConfig(
      {
        patriot: { mode: 'client', connect: { url: patriot.url, apiKey: API_KEY, caFile: certFile } },
        activeProfile: 'demo',
        profiles: [{ id: 'demo', name: 'Demo', type: 'simulator', ringAfterMs: 10, answerAfterMs: 20 }],
      },
      'client.json',
    );
    const log = captureLog('debug');
    const bridge = new Bridge(
      { ...config, dataDir: dir },
      { log: log.logger, createEndpoint: createPatriotEndpoint, createAdapter },
    );
    await bridge.start();
    cleanups.push(() => bridge.stop());

    const connection = await patriot.nextAuthenticated();
    await waitFor(() => bridge.snapshot().pbx.link.status === 'online', 'PBX online');
    connection.socket.send(
      JSON.stringify({ type: 'dial-request', payload: { phoneNo: '0123', rawPhoneNo: '0123' } }),
    );
    await waitFor(() => connection.statuses.some((s) => s.callActive), 'callActive:true');
    expect(connection.statuses.find((s) => s.callActive)).toEqual({
      callActive: true,
      outbound: true,
      callerId: '0123',
    });
    connection.hangup();
    await waitFor(() => connection.statuses.at(-1)?.callActive === false, 'callActive:false');
    expect(bridge.snapshot().patriot).toMatchObject({ mode: 'client', link: { status: 'online' } });
    expect(log.text()).not.toContain(API_KEY);
  });
});
