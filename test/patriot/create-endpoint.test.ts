import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY_FILE } from '../../src/main/engine/patriot/api-keys';
import { PatriotClient } from '../../src/main/engine/patriot/client';
import { createPatriotEndpoint } from '../../src/main/engine/patriot/create-endpoint';
import type { PatriotEndpoint } from '../../src/main/engine/patriot/endpoint';
import { PatriotServer } from '../../src/main/engine/patriot/server';
import { CERT_FILE, ensureCertificate } from '../../src/main/engine/tls/certificate';
import { captureLog } from '../support/log-capture';
import { tempDirsRemovedAfterEach } from '../support/temp-dir';
import { JsonPeer } from '../support/ws-peer';
import { FakeHandler, serverConfig } from './helpers';

const tempDir = tempDirsRemovedAfterEach();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function track(endpoint: PatriotEndpoint): PatriotEndpoint {
  cleanups.push(() => endpoint.stop());
  return endpoint;
}

describe('createPatriotEndpoint', () => {
  it('server mode without keys: generates the key file and the certificate, logs where, never the key', async () => {
    const dataDir = await tempDir();
    const captured = captureLog('debug');
    const endpoint = track(
      await createPatriotEndpoint(serverConfig({ apiKeys: [] }), {
        dataDir,
        handler: new FakeHandler(),
        log: captured.logger,
      }),
    );
    expect(endpoint).toBeInstanceOf(PatriotServer);
    await endpoint.start();
    const keyFile = path.join(dataDir, API_KEY_FILE);
    const key = (await readFile(keyFile, 'utf8')).trim();
    const setup = endpoint.setup();
    expect(setup).toMatchObject({
      mode: 'server',
      apiKeyFile: keyFile,
      certificateFile: path.join(dataDir, CERT_FILE),
    });

    const certificate = await readFile(setup.certificateFile!, 'utf8');
    const peer = await JsonPeer.connect(setup.url!, { ca: certificate });
    cleanups.push(() => peer.close());
    peer.send({ type: 'init-request', payload: { userName: 'p', password: key } });
    expect(await peer.nextOfKey('type', 'init-response')).toEqual({
      type: 'init-response',
      payload: { success: true },
    });

    const info = captured
      .records()
      .find((r) => r.msg === 'generated an API key for Patriot; give Patriot the key from this file');
    expect(info).toMatchObject({ level: 'info', file: keyFile });
    // Registered as a secret: even a careless log line cannot show it.
    captured.logger.info('oops', { text: `the key ${key}` });
    expect(captured.text()).not.toContain(key);
  });

  it('server mode with configured keys and certificate files uses them', async () => {
    const dataDir = await tempDir();
    const certificate = await ensureCertificate(path.join(dataDir, 'own'));
    const endpoint = track(
      await createPatriotEndpoint(
        serverConfig({
          apiKeys: ['CONFIGURED-KEY-0001'],
          tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
        }),
        { dataDir, handler: new FakeHandler(), log: captureLog().logger },
      ),
    );
    expect(endpoint.setup()).toMatchObject({
      apiKeyFile: null,
      certificateFingerprint256: certificate.fingerprint256,
      certificateFile: certificate.certFile,
    });
    await expect(readFile(path.join(dataDir, API_KEY_FILE))).rejects.toThrow();
  });

  it('client mode builds a client and registers its key as a secret', async () => {
    const captured = captureLog();
    const endpoint = await createPatriotEndpoint(
      serverConfig({
        mode: 'client',
        connect: {
          url: 'wss://127.0.0.1:9/ws/dialler/v1',
          apiKey: 'CLIENT-KEY-SECRET-77',
          caFile: null,
          fingerprint256: null,
        },
      }),
      { dataDir: await tempDir(), handler: new FakeHandler(), log: captured.logger },
    );
    expect(endpoint).toBeInstanceOf(PatriotClient);
    expect(endpoint.view()).toMatchObject({ mode: 'client', link: { status: 'stopped' } });
    captured.logger.info('probe', { text: 'key CLIENT-KEY-SECRET-77' });
    expect(captured.text()).not.toContain('CLIENT-KEY-SECRET-77');
  });
});
