import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { makeRig, stopRigs } from './harness';

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
  const temp = await makeTempDir('viptel-tls-');
  cleanupDir = temp.cleanup;
  caFile = path.join(temp.dir, 'viptel-ca.pem');
  await writeFile(caFile, pems.cert);
});

afterEach(stopRigs);
afterAll(() => cleanupDir());

describe('VIPTel adapter: TLS', () => {
  it('trusts the server through caFile', async () => {
    const rig = await makeRig({ sim: { tls }, profile: { caFile } });
    expect(rig.url).toMatch(/^wss:\/\/127\.0\.0\.1:/);
    await rig.online();
    expect(rig.adapter.warnings()).toEqual([]);
  });

  it('does not connect to an untrusted certificate, and says why', async () => {
    const rig = await makeRig({ sim: { tls } });
    await waitFor(() => rig.adapter.link.status === 'offline', 'offline');
    expect(rig.adapter.link).toMatchObject({ reason: expect.stringMatching(/certificate/i) });
    expect(rig.sim.logins).toEqual([]);
  });

  it('connects with rejectUnauthorized false, warning the user, and logs the warning once', async () => {
    const rig = await makeRig({ sim: { tls }, profile: { rejectUnauthorized: false } });
    await rig.online();
    rig.sim.dropConnections();
    await rig.online(2);
    expect(rig.adapter.warnings()).toEqual([expect.stringMatching(/certificate checks are off/i)]);
    const warned = rig.log
      .records()
      .filter((r) => r.level === 'warn' && /certificate checks/i.test(String(r.msg)));
    expect(warned).toHaveLength(1);
  });

  it('reports a CA file it cannot read', async () => {
    const rig = await makeRig({
      sim: { tls },
      profile: { caFile: path.join(path.dirname(caFile), 'missing.pem') },
    });
    await waitFor(() => rig.adapter.link.status === 'offline', 'offline');
    expect(rig.adapter.link).toMatchObject({ reason: expect.stringMatching(/cannot read the CA file/i) });
    expect(rig.sim.connections).toEqual([]);
  });
});
