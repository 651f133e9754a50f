import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useServerCertificate } from '../../support/server-certificate';
import { waitFor } from '../../support/wait';
import { makeRig, stopRigs } from './harness';

const certificate = useServerCertificate('viptel');

afterEach(stopRigs);

describe('VIPTel adapter: TLS', () => {
  it('trusts the server through caFile', async () => {
    const rig = await makeRig({ sim: { tls: certificate.tls }, profile: { caFile: certificate.caFile } });
    expect(rig.url).toMatch(/^wss:\/\/127\.0\.0\.1:/);
    await rig.online();
    expect(rig.adapter.warnings()).toEqual([]);
  });

  it('does not connect to an untrusted certificate, and says why', async () => {
    const rig = await makeRig({ sim: { tls: certificate.tls } });
    await waitFor(() => rig.adapter.link.status === 'offline', 'offline');
    expect(rig.adapter.link).toMatchObject({ reason: expect.stringMatching(/certificate/i) });
    expect(rig.sim.logins).toEqual([]);
  });

  it('connects with rejectUnauthorized false, warning the user, and logs the warning once', async () => {
    const rig = await makeRig({ sim: { tls: certificate.tls }, profile: { rejectUnauthorized: false } });
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
      sim: { tls: certificate.tls },
      profile: { caFile: path.join(path.dirname(certificate.caFile), 'missing.pem') },
    });
    await waitFor(() => rig.adapter.link.status === 'offline', 'offline');
    expect(rig.adapter.link).toMatchObject({ reason: expect.stringMatching(/cannot read the CA file/i) });
    expect(rig.sim.connections).toEqual([]);
  });
});
