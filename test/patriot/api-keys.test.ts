import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_FILE,
  apiKeyMatches,
  generateApiKey,
  loadOrCreateApiKey,
  regenerateApiKey,
} from '../../src/main/engine/patriot/api-keys';
import { tempDirsRemovedAfterEach } from '../support/temp-dir';

const tempDir = tempDirsRemovedAfterEach();

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('API key file', () => {
  it('generates a strong key into a new folder, owner-only', async () => {
    const dataDir = path.join(await tempDir(), 'nested', 'data');
    const { key, file, created } = await loadOrCreateApiKey(dataDir);
    expect(created).toBe(true);
    expect(file).toBe(path.join(dataDir, API_KEY_FILE));
    expect(key).toMatch(/^[A-Z2-7]{52}$/);
    expect((await readFile(file, 'utf8')).trim()).toBe(key);
    if (process.platform !== 'win32') expect(await mode(file)).toBe(0o600);
  });

  it('reuses the stored key on the next start', async () => {
    const dataDir = await tempDir();
    const first = await loadOrCreateApiKey(dataDir);
    const second = await loadOrCreateApiKey(dataDir);
    expect(second).toEqual({ key: first.key, file: first.file, created: false });
  });

  it('keeps a key the user put in the file, and refuses (never overwrites) an unusable one', async () => {
    const dataDir = await tempDir();
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, API_KEY_FILE);
    await writeFile(file, '  my-own-key-1234 \r\n');
    expect(await loadOrCreateApiKey(dataDir)).toMatchObject({ key: 'my-own-key-1234', created: false });
    for (const unusable of ['\n', 'short', 'has a space inside it']) {
      await writeFile(file, unusable);
      await expect(loadOrCreateApiKey(dataDir)).rejects.toThrow(
        new RegExp(`${API_KEY_FILE} holds no usable API key`),
      );
      expect(await readFile(file, 'utf8')).toBe(unusable);
    }
  });

  it('regenerates a different key and keeps the file owner-only', async () => {
    const dataDir = await tempDir();
    const first = await loadOrCreateApiKey(dataDir);
    const regenerated = await regenerateApiKey(dataDir);
    expect(regenerated.file).toBe(first.file);
    expect(regenerated.key).not.toBe(first.key);
    expect(await loadOrCreateApiKey(dataDir)).toMatchObject({ key: regenerated.key, created: false });
    if (process.platform !== 'win32') expect(await mode(regenerated.file)).toBe(0o600);
  });

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));
    expect(keys.size).toBe(200);
  });
});

describe('apiKeyMatches', () => {
  it('matches exactly one of the accepted keys', () => {
    const accepted = ['FIRST-KEY-1234', 'SECOND-KEY-5678'];
    expect(apiKeyMatches('SECOND-KEY-5678', accepted)).toBe(true);
    expect(apiKeyMatches('FIRST-KEY-1234', accepted)).toBe(true);
    expect(apiKeyMatches('first-key-1234', accepted)).toBe(false);
    expect(apiKeyMatches('FIRST-KEY-123', accepted)).toBe(false);
    expect(apiKeyMatches('FIRST-KEY-12345', accepted)).toBe(false);
    expect(apiKeyMatches('', accepted)).toBe(false);
    expect(apiKeyMatches('FIRST-KEY-1234', [])).toBe(false);
  });

  it('compares keys of any length without throwing (both sides are hashed first)', () => {
    expect(() => apiKeyMatches('x', ['a much longer accepted key'])).not.toThrow();
    expect(apiKeyMatches('x'.repeat(10_000), ['short-key'])).toBe(false);
  });
});
