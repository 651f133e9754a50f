// Basix over https/wss: the profile's caFile is trusted for both ws_cti and call_user; without it the
// operator is told the certificate is not trusted and what to set.
import { afterEach, describe, expect, it } from 'vitest';
import { dialAs } from '../../support/adapter-dial';
import { useServerCertificate } from '../../support/server-certificate';
import { waitFor } from '../../support/wait';
import { startHarness, stopAllHarnesses } from './harness';

const certificate = useServerCertificate('basix');

afterEach(stopAllHarnesses);

describe('Basix adapter: TLS', () => {
  it('trusts the server through caFile for ws_cti and call_user alike', async () => {
    const h = await startHarness({ sim: { tls: certificate.tls }, profile: { caFile: certificate.caFile } });
    expect(h.sim.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    expect(h.adapter.warnings()).toEqual([]);
  });

  it('does not connect to an untrusted certificate, and says to set caFile', async () => {
    const h = await startHarness({ sim: { tls: certificate.tls } });
    await waitFor(() => h.adapter.link.status === 'offline' && h.adapter.link, 'offline');
    expect(h.adapter.link).toMatchObject({ reason: expect.stringMatching(/not trusted.*"caFile"/) });
    expect(h.sim.connections).toEqual([]);
  });

  it('warns when certificate checks are off', async () => {
    const h = await startHarness({ sim: { tls: certificate.tls }, profile: { rejectUnauthorized: false } });
    await h.waitForLink('online');
    expect(h.adapter.warnings().join(' ')).toMatch(/Certificate checks are off/);
  });
});
