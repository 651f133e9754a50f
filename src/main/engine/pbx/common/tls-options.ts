// TLS options and the warnings every PBX profile shares (caFile, rejectUnauthorized, ws:// in clear).
import { readFile } from 'node:fs/promises';

export interface TlsProfile {
  url: string;
  caFile?: string | null;
  rejectUnauthorized: boolean;
}

/** Reads the profile's caFile (PEM text), or undefined when it has none. Throws an operator-facing Error. */
export async function readCa(profile: TlsProfile): Promise<string | undefined> {
  if (!profile.caFile) return undefined;
  try {
    return await readFile(profile.caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`Cannot read the CA file ${profile.caFile} (${code}).`, { cause: error });
  }
}

/** What the user should know about this profile's transport security. */
export function tlsWarnings(pbx: string, profile: TlsProfile): string[] {
  const warnings: string[] = [];
  if (!profile.rejectUnauthorized) {
    warnings.push(
      `Certificate checks are off for this ${pbx} profile ("rejectUnauthorized": false): the link is ` +
        `encrypted, but anyone on the network path could pose as the server. Prefer "caFile".`,
    );
  }
  const url = safeUrl(profile.url);
  if (
    url &&
    (url.protocol === 'ws:' || url.protocol === 'http:' || url.protocol === 'tcp:') &&
    !isLoopback(url.hostname)
  ) {
    warnings.push(
      `This ${pbx} profile connects without encryption (${url.protocol}//): call data crosses the network in clear text.`,
    );
  }
  return warnings;
}

export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || hostname.startsWith('127.')
  );
}

export function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** host:port of a URL for messages, never its credentials or path. */
export function safeHost(value: string, fallback = 'the PBX'): string {
  return safeUrl(value)?.host || fallback;
}
