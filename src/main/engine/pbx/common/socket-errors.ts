// Socket and TLS errors in words an operator can act on, the same for every PBX.

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `where` is a host:port (see safeHost), never a URL with credentials. */
export function describeSocketError(error: Error, where: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (TLS_TRUST_CODES.has(code)) {
    return `The certificate of ${where} is not trusted (${code}). Set "caFile" in the profile to the server's certificate or its CA.`;
  }
  if (code === 'ECONNREFUSED') return `Connection refused by ${where}.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host ${where} was not found (DNS).`;
  if (code === 'ETIMEDOUT' || /timed out/i.test(error.message)) return `Timed out connecting to ${where}.`;
  if (code === 'ECONNRESET') return `${where} reset the connection.`;
  return `Connection to ${where} failed: ${error.message}`;
}

/** The HTTP status of a refused WebSocket upgrade, from ws's error message. */
export function upgradeStatus(error: Error): number | null {
  const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
  return status ? Number(status) : null;
}
