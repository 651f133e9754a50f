import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialDigest, loginHash } from '../../../src/main/engine/pbx/viptel/login-hash';

/** The spec's recipe, step by step, written out independently of the implementation. */
function recipe(username: string, password: string, nonce: string): string {
  const joined = `${username}:${password}`; // 1. join with a colon
  const first = createHash('sha1').update(joined).digest('hex'); // 2. SHA1 of it, lowercase hex
  const withNonce = `${first}:${nonce}`; // 3. append ":" and the nonce
  return createHash('sha1').update(withNonce).digest('hex'); // 4. SHA1 again
}

describe('VIPTel login hash', () => {
  it('matches a worked vector (computed outside Node with Python hashlib)', () => {
    expect(credentialDigest('viptel', 'heslo123')).toBe('2f26a2947b38f10cb4afe7c3dc60c86cc219e4e6');
    expect(loginHash('viptel', 'heslo123', '5f1c0a7e9d3b4c2a')).toBe(
      '788f19f4a82b1a17397b6c5d6396f352a681fa4c',
    );
  });

  it('follows the spec recipe for other inputs, including non-ASCII passwords', () => {
    for (const [user, pass, nonce] of [
      ['demo', 'demo', 'abc'],
      ['operátor', 'žltý kôň', '0123456789abcdef0123456789abcdef'],
    ] as const) {
      const hash = loginHash(user, pass, nonce);
      expect(hash).toBe(recipe(user, pass, nonce));
      expect(hash).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('changes with the nonce', () => {
    expect(loginHash('demo', 'demo', 'one')).not.toBe(loginHash('demo', 'demo', 'two'));
  });
});
