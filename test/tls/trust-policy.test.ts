import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/main/engine/tls/certificate';
import { checkTrustable } from '../../src/main/engine/tls/trust-policy';

let bridgeCert: { cert: string; fingerprint256: string };

beforeAll(async () => {
  bridgeCert = await generateCertificate();
});

async function certWith(extensions: object[]): Promise<string> {
  const pems = await generate([{ name: 'commonName', value: 'planted' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    extensions,
  } as never);
  return pems.cert;
}

describe('which certificates may go into a Root store', () => {
  it('accepts the bridge certificate, also with its fingerprint and bridge-names-only', () => {
    expect(
      checkTrustable(bridgeCert.cert, { fingerprint256: bridgeCert.fingerprint256, bridgeNamesOnly: true }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a CA certificate: in the Root store it could vouch for any site', async () => {
    const ca = await certWith([
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] },
    ]);
    expect(checkTrustable(ca)).toEqual({ ok: false, reason: expect.stringContaining('CA certificate') });
  });

  it('refuses, for a planted file, a leaf that names other hosts', async () => {
    const evil = await certWith([
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: 'login.bank.example' },
        ],
      },
    ]);
    expect(checkTrustable(evil, { bridgeNamesOnly: true })).toEqual({
      ok: false,
      reason: expect.stringContaining('DNS:login.bank.example'),
    });
    // Without the names rule (e.g. IT's own certFile trusted from the window) only the CA rule applies.
    expect(checkTrustable(evil)).toMatchObject({ ok: true });
  });

  it('refuses a file that is not the certificate the bridge serves, an expired one, and non-PEM', () => {
    expect(checkTrustable(bridgeCert.cert, { fingerprint256: 'AA:BB' })).toEqual({
      ok: false,
      reason: 'it is not the certificate the bridge serves',
    });
    expect(checkTrustable(bridgeCert.cert, { now: new Date(Date.now() + 5 * 365 * 86_400_000) })).toEqual({
      ok: false,
      reason: expect.stringContaining('expired'),
    });
    expect(checkTrustable('hello')).toEqual({ ok: false, reason: 'the file is not a PEM certificate' });
  });
});
