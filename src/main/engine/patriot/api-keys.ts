import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../util/write-atomically';

export const API_KEY_FILE = 'api-key.txt';

/** RFC 4648 base32: upper case, no 0/1/8/9, so O/0 and I/1 cannot be confused when typed. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** What a usable key in the file looks like (the user may put their own key there). */
const KEY_IN_FILE = /^[\x21-\x7e]{8,256}$/;

/** 32 random bytes (256 bits) as 52 base32 characters. */
export function generateApiKey(): string {
  const bytes = randomBytes(32);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Writes via a temp file and rename, so a crash never leaves half a key; owner-only permissions. */
async function writeKeyFile(file: string, key: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeAtomically(file, `${key}\n`, 0o600);
}

/** The key file exists but holds no usable key: never overwritten (Patriot may be set up with it). */
export class UnusableApiKeyFileError extends Error {
  override name = 'UnusableApiKeyFileError';
  constructor(readonly file: string) {
    super(
      `${file} holds no usable API key (expected 8 to 256 printable characters, no spaces). ` +
        'Put the key Patriot uses there, or delete the file to have a new one generated.',
    );
  }
}

/**
 * The key kept in `dataDir/api-key.txt`; a strong one is generated when the file is missing. A file
 * that holds an unusable key is refused, never replaced.
 */
export async function loadOrCreateApiKey(
  dataDir: string,
): Promise<{ key: string; file: string; created: boolean }> {
  const file = path.join(dataDir, API_KEY_FILE);
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (KEY_IN_FILE.test(key)) return { key, file, created: false };
    throw new UnusableApiKeyFileError(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = generateApiKey();
  await writeKeyFile(file, key);
  return { key, file, created: true };
}

/** Replaces the key in `dataDir` with a new one (Patriot must then be given the new key). */
export async function regenerateApiKey(dataDir: string): Promise<{ key: string; file: string }> {
  const file = path.join(dataDir, API_KEY_FILE);
  const key = generateApiKey();
  await writeKeyFile(file, key);
  return { key, file };
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `candidate` equals one of `accepted`, in time that depends on neither the keys' contents nor
 * their lengths (both sides are hashed to 32 bytes; every accepted key is compared).
 */
export function apiKeyMatches(candidate: string, accepted: readonly string[]): boolean {
  const candidateHash = sha256(candidate);
  let matched = false;
  for (const key of accepted) {
    matched = timingSafeEqual(candidateHash, sha256(key)) || matched;
  }
  return matched;
}
