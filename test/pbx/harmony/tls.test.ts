import { afterEach, describe, expect, it } from 'vitest';
import { useServerCertificate } from '../../support/server-certificate';
import { waitFor } from '../../support/wait';
import { startHarness, stopAllHarnesses } from './harness';

const certificate = useServerCertificate('harmony');

afterEach(stopAllHarnesses);

describe('Harmony adapter: TLS', () => {
  it('connects to tls:// trusting the server through caFile', async () => {
    const h = await startHarness({ sim: { tls: certificate.tls }, profile: { caFile: certificate.caFile } });
    expect(h.sim.url).toMatch(/^tls:\/\/127\.0\.0\.1:/);
    await h.waitForLink('online');
    expect(h.adapter.warnings()).toEqual([]);
  });

  it('refuses an untrusted certificate and says to set caFile', async () => {
    const h = await startHarness({ sim: { tls: certificate.tls } });
    await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
    expect(h.links.find((l) => l.status === 'offline')).toMatchObject({
      reason: expect.stringMatching(/not trusted.*caFile/),
    });
    expect(h.sim.messages).toEqual([]);
  });

  it('connects with rejectUnauthorized false, and warns', async () => {
    const h = await startHarness({ sim: { tls: certificate.tls }, profile: { rejectUnauthorized: false } });
    await h.waitForLink('online');
    expect(h.adapter.warnings()).toEqual([expect.stringMatching(/certificate checks are off/i)]);
  });
});
