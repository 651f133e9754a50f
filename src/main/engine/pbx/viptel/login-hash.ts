import { createHash } from 'node:crypto';

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/**
 * The first step of the login hash, SHA1("<username>:<password>"). It is as good as the password (anyone
 * holding it can log in with any nonce), so callers treat it as a secret too.
 */
export function credentialDigest(username: string, password: string): string {
  return sha1Hex(`${username}:${password}`);
}

/** VIPTel's login hash: SHA1(SHA1("<username>:<password>") + ":" + nonce), lowercase hex. */
export function loginHashFromDigest(digest: string, nonce: string): string {
  return sha1Hex(`${digest}:${nonce}`);
}

export function loginHash(username: string, password: string, nonce: string): string {
  return loginHashFromDigest(credentialDigest(username, password), nonce);
}
