import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../util/write-atomically';

export const CERT_FILE = 'bridge-cert.pem';
export const KEY_FILE = 'bridge-key.pem';
export const CERT_COMMON_NAME = 'Dialler Bridge (localhost)';

/** Names Patriot may use for the bridge: loopback, and Patriot's own public name that resolves to 127.0.0.1. */
export const CERT_DNS_NAMES = ['localhost', 'desktop-client-api.patriotsystems.com'] as const;
export const CERT_IP_ADDRESSES = ['127.0.0.1', '::1'] as const;

/**
 * 825 days: Apple's limit for TLS server certificates (macOS 10.15+/iOS 13+ reject longer ones, even when
 * locally trusted); other platforms accept it too. The bridge renews it well before it ends.
 */
export const DEFAULT_VALIDITY_DAYS = 825;
export const DEFAULT_RENEW_WITHIN_DAYS = 30;

const DAY_MS = 86_400_000;

export interface ServerCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** "AA:BB:…" as Node and the Windows certificate viewer show it. */
  fingerprint256: string;
  validTo: Date;
  /** True when this call created the certificate. */
  generated: boolean;
}

export interface EnsureCertificateOptions {
  now?: Date;
  renewWithinDays?: number;
  validityDays?: number;
}

export interface GeneratedCertificate {
  cert: string;
  key: string;
  fingerprint256: string;
  validTo: Date;
}

/** A fresh self-signed server certificate (RSA 2048, SHA-256) for the loopback names above. */
export async function generateCertificate(
  options: { now?: Date; validityDays?: number; commonName?: string } = {},
): Promise<GeneratedCertificate> {
  const now = options.now ?? new Date();
  // Starts an hour back so a slightly slow clock on the peer still accepts it; the span stays within limits.
  const notBeforeDate = new Date(now.getTime() - 3_600_000);
  const notAfterDate = new Date(
    notBeforeDate.getTime() + (options.validityDays ?? DEFAULT_VALIDITY_DAYS) * DAY_MS,
  );
  // Loaded only when a certificate is made: it costs more start-up time than the rest of the bridge.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: options.commonName ?? CERT_COMMON_NAME }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...CERT_DNS_NAMES.map((value) => ({ type: 2 as const, value })),
          ...CERT_IP_ADDRESSES.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  const x509 = new X509Certificate(pems.cert);
  return {
    cert: pems.cert,
    key: pems.private,
    fingerprint256: x509.fingerprint256,
    validTo: new Date(x509.validTo),
  };
}

/** Reasons a stored certificate must be replaced; null when it can be reused. */
function unusableReason(
  x509: X509Certificate,
  key: KeyObject,
  now: Date,
  renewWithinDays: number,
): string | null {
  if (!x509.checkPrivateKey(key)) return 'the key does not belong to the certificate';
  if (new Date(x509.validTo).getTime() - now.getTime() <= renewWithinDays * DAY_MS) return 'it expires soon';
  const sans = x509.subjectAltName ?? '';
  const missing = CERT_DNS_NAMES.filter((name) => !sans.includes(`DNS:${name}`));
  if (missing.length > 0) return `it lacks ${missing.join(', ')}`;
  return null;
}

/**
 * The bridge's server certificate in `dataDir`: reused when readable, matching its key and valid for more
 * than `renewWithinDays`; otherwise generated anew (`bridge-cert.pem`, `bridge-key.pem` with mode 0600).
 */
export async function ensureCertificate(
  dataDir: string,
  options: EnsureCertificateOptions = {},
): Promise<ServerCertificate & { replacedBecause?: string }> {
  const now = options.now ?? new Date();
  const certFile = path.join(dataDir, CERT_FILE);
  const keyFile = path.join(dataDir, KEY_FILE);
  let replacedBecause: string | undefined;
  const [cert, key] = await Promise.all([readIfPresent(certFile), readIfPresent(keyFile)]);
  if (cert !== null && key !== null) {
    // Damaged files are never replaced silently: Patriot trusts this certificate (by file or fingerprint).
    const x509 = parseOrRefuse(certFile, () => new X509Certificate(cert));
    const privateKey = parseOrRefuse(keyFile, () => createPrivateKey(key));
    const reason = unusableReason(
      x509,
      privateKey,
      now,
      options.renewWithinDays ?? DEFAULT_RENEW_WITHIN_DAYS,
    );
    if (reason === null) return existingCertificate(x509, { cert, key, certFile, keyFile });
    // Expiring soon, or a key from an interrupted renewal: renewed, and the caller warns (new fingerprint).
    replacedBecause = reason;
  }
  const fresh = await generateCertificate({ now, validityDays: options.validityDays });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Key first: a crash in between leaves a mismatched pair, which the next start replaces.
  await writeAtomically(keyFile, fresh.key, 0o600);
  await writeAtomically(certFile, fresh.cert, 0o644);
  return { ...fresh, certFile, keyFile, generated: true, ...(replacedBecause ? { replacedBecause } : {}) };
}

/** The file's text, or null when it does not exist (other read errors are thrown, naming the file). */
async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new Error(`cannot read ${file} (${code ?? String(error)})`, { cause: error });
  }
}

function parseOrRefuse<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(
      `${file} is damaged (${(error as Error).message}). Patriot may trust this certificate: restore the file, or delete ` +
        `both bridge-cert.pem and bridge-key.pem to have a new pair generated (then give Patriot the new certificate).`,
      { cause: error },
    );
  }
}

async function readNamedFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${what} file not found: ${file}`
        : `cannot read ${what} file ${file}: ${code ?? error}`,
      { cause: error },
    );
  }
}

/** A configured certificate and key (PEM). Errors name the file at fault. */
export async function loadCertificateFiles(certFile: string, keyFile: string): Promise<ServerCertificate> {
  const cert = await readNamedFile(certFile, 'certificate');
  const key = await readNamedFile(keyFile, 'private key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new Error(`no PEM certificate could be read from ${certFile}`, { cause: error });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new Error(`no unencrypted PEM private key could be read from ${keyFile}`, { cause: error });
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new Error(`the private key in ${keyFile} does not belong to the certificate in ${certFile}`);
  }
  return existingCertificate(x509, { cert, key, certFile, keyFile });
}

function existingCertificate(
  x509: X509Certificate,
  files: { cert: string; key: string; certFile: string; keyFile: string },
): ServerCertificate {
  return { ...files, fingerprint256: x509.fingerprint256, validTo: new Date(x509.validTo), generated: false };
}
