import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CERT_FILE,
  DEFAULT_VALIDITY_DAYS,
  KEY_FILE,
  ensureCertificate,
  generateCertificate,
  loadCertificateFiles,
} from '../../src/main/engine/tls/certificate';
import { fingerprintsEqual, normalizeFingerprint256 } from '../../src/main/engine/tls/fingerprint';
import { tempDirsRemovedAfterEach } from '../support/temp-dir';

const tempDir = tempDirsRemovedAfterEach();

const DAY_MS = 86_400_000;

/** Reads one DER tag-length-value at `offset`: where its content starts and ends. */
function tlv(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = (length << 8) | der[start + i]!;
    start += bytes;
  }
  return { tag, start, end: start + length };
}

/** The OID (hex) of the certificate's outer signatureAlgorithm. */
function signatureAlgorithmOid(x509: X509Certificate): string {
  const der = x509.raw;
  const certificate = tlv(der, 0);
  const tbs = tlv(der, certificate.start);
  const algorithm = tlv(der, tbs.end);
  const oid = tlv(der, algorithm.start);
  expect(oid.tag).toBe(0x06);
  return der.subarray(oid.start, oid.end).toString('hex');
}

const SHA256_WITH_RSA = '2a864886f70d01010b'; // 1.2.840.113549.1.1.11

describe('ensureCertificate', () => {
  it("generates a SHA-256, RSA 2048 server certificate for the loopback names and Patriot's name", async () => {
    const dataDir = path.join(await tempDir(), 'data');
    const now = new Date();
    const certificate = await ensureCertificate(dataDir, { now });
    expect(certificate.generated).toBe(true);
    expect(certificate.certFile).toBe(path.join(dataDir, CERT_FILE));
    expect(certificate.keyFile).toBe(path.join(dataDir, KEY_FILE));

    const x509 = new X509Certificate(await readFile(certificate.certFile));
    expect(x509.subject).toBe('CN=Dialler Bridge (localhost)');
    const sans = x509.subjectAltName!.split(', ');
    expect(sans).toEqual(
      expect.arrayContaining([
        'DNS:localhost',
        'DNS:desktop-client-api.patriotsystems.com',
        'IP Address:127.0.0.1',
        expect.stringMatching(/^IP Address:(::1|0:0:0:0:0:0:0:1)$/),
      ]),
    );
    expect(x509.checkHost('desktop-client-api.patriotsystems.com')).toBeDefined();
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth
    expect(signatureAlgorithmOid(x509)).toBe(SHA256_WITH_RSA);
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa');
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.ca).toBe(false);
    expect(x509.checkPrivateKey(createPrivateKey(await readFile(certificate.keyFile)))).toBe(true);

    const lifetimeDays = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / DAY_MS;
    expect(lifetimeDays).toBeLessThanOrEqual(DEFAULT_VALIDITY_DAYS);
    expect(lifetimeDays).toBeGreaterThan(DEFAULT_VALIDITY_DAYS - 1);
    expect(Date.parse(x509.validFrom)).toBeLessThanOrEqual(now.getTime());
    expect(certificate.validTo.getTime()).toBe(Date.parse(x509.validTo));
    expect(certificate.fingerprint256).toBe(x509.fingerprint256);

    if (process.platform !== 'win32') expect((await stat(certificate.keyFile)).mode & 0o777).toBe(0o600);
  });

  it('reuses the certificate on restart', async () => {
    const dataDir = await tempDir();
    const first = await ensureCertificate(dataDir);
    const second = await ensureCertificate(dataDir);
    expect(second.generated).toBe(false);
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.cert).toBe(first.cert);
  });

  it('replaces it within 30 days of expiry, not earlier', async () => {
    const dataDir = await tempDir();
    const first = await ensureCertificate(dataDir);
    const fortyDaysBefore = new Date(first.validTo.getTime() - 40 * DAY_MS);
    expect((await ensureCertificate(dataDir, { now: fortyDaysBefore })).generated).toBe(false);

    const tenDaysBefore = new Date(first.validTo.getTime() - 10 * DAY_MS);
    const renewed = await ensureCertificate(dataDir, { now: tenDaysBefore });
    expect(renewed).toMatchObject({ generated: true, replacedBecause: 'it expires soon' });
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
    expect(renewed.validTo.getTime()).toBeGreaterThan(first.validTo.getTime());
    expect(new X509Certificate(await readFile(renewed.certFile)).fingerprint256).toBe(renewed.fingerprint256);
  });

  it('refuses a damaged certificate or key, naming the file and leaving it as it is', async () => {
    const dataDir = await tempDir();
    const first = await ensureCertificate(dataDir);
    await writeFile(first.certFile, 'garbage');
    await expect(ensureCertificate(dataDir)).rejects.toThrow(/bridge-cert\.pem is damaged .*delete both/);
    expect(await readFile(first.certFile, 'utf8')).toBe('garbage');
    await writeFile(first.certFile, first.cert);
    await writeFile(first.keyFile, 'not a key');
    await expect(ensureCertificate(dataDir)).rejects.toThrow(/bridge-key\.pem is damaged/);
  });

  it('renews a pair whose key does not match (a renewal interrupted between the two writes)', async () => {
    const dataDir = await tempDir();
    const first = await ensureCertificate(dataDir);
    const other = await generateCertificate();
    await writeFile(first.keyFile, other.key);
    const fromMismatch = await ensureCertificate(dataDir);
    expect(fromMismatch).toMatchObject({
      generated: true,
      replacedBecause: 'the key does not belong to the certificate',
    });
  });
});

describe('loadCertificateFiles', () => {
  it('loads a configured pair', async () => {
    const dataDir = await tempDir();
    const generated = await ensureCertificate(dataDir);
    const loaded = await loadCertificateFiles(generated.certFile, generated.keyFile);
    expect(loaded).toMatchObject({ generated: false, fingerprint256: generated.fingerprint256 });
  });

  it('names the file at fault', async () => {
    const dataDir = await tempDir();
    const generated = await ensureCertificate(dataDir);
    const missing = path.join(dataDir, 'missing.pem');
    await expect(loadCertificateFiles(missing, generated.keyFile)).rejects.toThrow(
      `certificate file not found: ${missing}`,
    );
    await expect(loadCertificateFiles(generated.certFile, missing)).rejects.toThrow(
      `private key file not found: ${missing}`,
    );

    const junk = path.join(dataDir, 'junk.pem');
    await writeFile(junk, 'not a certificate');
    await expect(loadCertificateFiles(junk, generated.keyFile)).rejects.toThrow(
      `no PEM certificate could be read from ${junk}`,
    );
    await expect(loadCertificateFiles(generated.certFile, junk)).rejects.toThrow(
      `no unencrypted PEM private key could be read from ${junk}`,
    );

    const otherKey = path.join(dataDir, 'other-key.pem');
    await writeFile(otherKey, (await generateCertificate()).key);
    await expect(loadCertificateFiles(generated.certFile, otherKey)).rejects.toThrow(
      `the private key in ${otherKey} does not belong to the certificate in ${generated.certFile}`,
    );
  });
});

describe('fingerprints', () => {
  it('normalise case, colons and spaces', () => {
    expect(normalizeFingerprint256('ab:cd:01')).toBe('AB:CD:01');
    expect(normalizeFingerprint256('ABCD01')).toBe('AB:CD:01');
    expect(fingerprintsEqual('ab cd 01', 'AB:CD:01')).toBe(true);
    expect(fingerprintsEqual('ABCD01', 'ABCD02')).toBe(false);
  });
});
