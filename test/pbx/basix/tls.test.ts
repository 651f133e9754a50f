// Basix over https/wss: the profile's caFile is trusted for both ws_cti and call_user; without it the
// operator is told the certificate is not trusted and what to set.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialAs } from '../../support/adapter-dial';
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
  const temp = await makeTempDir('basix-tls-');
  cleanupDir = temp.cleanup;
  caFile = path.join(temp.dir, 'basix-ca.pem');
  await writeFile(caFile, pems.cert);
});

afterEach(stopAllHarnesses);
afterAll(() => cleanupDir());

describe('Basix adapter: TLS', () => {
  it('trusts the server through caFile for ws_cti and call_user alike', async () => {
    const h = await startHarness({ sim: { tls }, profile: { caFile } });
    expect(h.sim.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    expect(h.adapter.warnings()).toEqual([]);
  });

  it('does not connect to an untrusted certificate, and says to set caFile', async () => {
    const h = await startHarness({ sim: { tls } });
    await waitFor(() => h.adapter.link.status === 'offline' && h.adapter.link, 'offline');
    expect(h.adapter.link).toMatchObject({ reason: expect.stringMatching(/not trusted.*"caFile"/) });
    expect(h.sim.connections).toEqual([]);
  });

  it('warns when certificate checks are off', async () => {
    const h = await startHarness({ sim: { tls }, profile: { rejectUnauthorized: false } });
    await h.waitForLink('online');
    expect(h.adapter.warnings().join(' ')).toMatch(/Certificate checks are off/);
  });
});
