import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { startHarness, stopAllHarnesses } from './harness';

let tls: { cert: string; key: string };
let caFile: string;
let cleanupDir: () => Promise<void>;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  tls = { cert: pems.cert, key: pems.private };
  const temp = await makeTempDir('harmony-tls-');
  cleanupDir = temp.cleanup;
  caFile = path.join(temp.dir, 'his-ca.pem');
  await writeFile(caFile, pems.cert);
});

afterEach(stopAllHarnesses);
afterAll(() => cleanupDir());

describe('Harmony adapter: TLS', () => {
  it('connects to tls:// trusting the server through caFile', async () => {
    const h = await startHarness({ sim: { tls }, profile: { caFile } });
    expect(h.sim.url).toMatch(/^tls:\/\/127\.0\.0\.1:/);
    await h.waitForLink('online');
    expect(h.adapter.warnings()).toEqual([]);
  });

  it('refuses an untrusted certificate and says to set caFile', async () => {
    const h = await startHarness({ sim: { tls } });
    await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
    expect(h.links.find((l) => l.status === 'offline')).toMatchObject({
      reason: expect.stringMatching(/not trusted.*caFile/),
    });
    expect(h.sim.messages).toEqual([]);
  });

  it('connects with rejectUnauthorized false, and warns', async () => {
    const h = await startHarness({ sim: { tls }, profile: { rejectUnauthorized: false } });
    await h.waitForLink('online');
    expect(h.adapter.warnings()).toEqual([expect.stringMatching(/certificate checks are off/i)]);
  });
});
