// What may be added to a Windows Root store on the bridge's behalf. A Root entry vouches for every site
// it can sign for, so only a self-signed leaf (not a CA) naming nothing but the bridge's own addresses,
// and, from the window, only the very certificate the bridge serves.
import { X509Certificate } from 'node:crypto';
import { CERT_DNS_NAMES, CERT_IP_ADDRESSES } from './certificate';

export interface TrustPolicy {
  /** The SHA-256 fingerprint of the certificate the bridge serves: the file must be that one. */
  fingerprint256?: string | null;
  /** Every SAN must be one of the bridge's (localhost, 127.0.0.1, ::1, Patriot's loopback name). */
  bridgeNamesOnly?: boolean;
  now?: Date;
}

export type TrustCheck = { ok: true; cert: X509Certificate } | { ok: false; reason: string };

const BRIDGE_NAMES = new Set<string>([
  ...CERT_DNS_NAMES.map((name) => `DNS:${name}`),
  ...CERT_IP_ADDRESSES.map((ip) => `IP:${ip}`),
  'IP:0:0:0:0:0:0:0:1',
]);

export function checkTrustable(pem: string, policy: TrustPolicy = {}): TrustCheck {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return { ok: false, reason: 'the file is not a PEM certificate' };
  }
  if (cert.ca) {
    return { ok: false, reason: 'it is a CA certificate: in the Root store it could vouch for any web site' };
  }
  if (policy.fingerprint256 !== undefined && policy.fingerprint256 !== cert.fingerprint256) {
    return { ok: false, reason: 'it is not the certificate the bridge serves' };
  }
  const now = policy.now ?? new Date();
  if (new Date(cert.validTo) < now) return { ok: false, reason: `it expired on ${cert.validTo}` };
  if (policy.bridgeNamesOnly) {
    if (!cert.verify(cert.publicKey)) return { ok: false, reason: 'it is not self-signed' };
    const names = sanList(cert);
    const foreign = names.filter((name) => !BRIDGE_NAMES.has(name));
    if (names.length === 0) return { ok: false, reason: 'it names no address (no subjectAltName)' };
    if (foreign.length > 0) {
      return { ok: false, reason: `it names addresses that are not the bridge's: ${foreign.join(', ')}` };
    }
  }
  return { ok: true, cert };
}

/** "DNS:localhost, IP Address:127.0.0.1" → ["DNS:localhost", "IP:127.0.0.1"]; other kinds kept as given. */
function sanList(cert: X509Certificate): string[] {
  if (!cert.subjectAltName) return [];
  return cert.subjectAltName.split(/,\s*/).map((entry) => entry.replace(/^IP Address:/, 'IP:'));
}
