import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/main/engine/config/load';
import { PROFILE_TYPES } from '../../src/main/engine/config/schema';
import { collectSecrets } from '../../src/main/engine/config/secrets';
import { makeTempDir } from '../support/temp-dir';

const demo = { id: 'demo', name: 'Demo', type: 'simulator' };
const viptel = {
  id: 'office',
  name: 'Office',
  type: 'viptel',
  username: 'u',
  password: 'pw-secret',
  extension: '12',
};

function errorOf(raw: unknown): ConfigError {
  try {
    parseConfig(raw, 'c.json');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('fills the contract defaults', () => {
    const config = parseConfig({ activeProfile: 'demo', profiles: [demo] }, 'c.json');
    expect(config.patriot).toMatchObject({
      mode: 'server',
      listen: { host: '127.0.0.1', port: 9009, path: '/ws/dialler/v1' },
      apiKeys: [],
      allowedOrigins: [],
      tls: { certFile: null, keyFile: null },
    });
    expect(config.profiles[0]).toMatchObject({ dialRules: { outsideLinePrefix: '', blockedPatterns: [] } });
  });

  it('accepts the example of the contract', () => {
    const config = parseConfig(
      {
        dataDir: './data',
        patriot: {
          mode: 'server',
          listen: { host: '127.0.0.1', port: 9009, path: '/ws/dialler/v1' },
          apiKeys: ['ABC123DEF456'],
          allowedOrigins: [],
          tls: { certFile: null, keyFile: null },
          connect: {
            url: 'wss://desktop-client-api.patriotsystems.com:9009/ws/dialler/v1',
            apiKey: 'ABC123DEF456',
            caFile: null,
            fingerprint256: null,
          },
        },
        activeProfile: 'office',
        profiles: [
          { ...viptel, url: 'wss://pbxmanager.viptel.sk:8088', callerId: null },
          {
            id: 'hq',
            name: 'HQ (innovaphone)',
            type: 'innovaphone',
            url: 'wss://pbx.example.com/PBX0/APPS/websocket',
            app: 'dialler',
            password: 'secret',
            user: 'Operator One',
          },
          demo,
        ],
      },
      'c.json',
    );
    expect(config.profiles.map((p) => p.type)).toEqual(['viptel', 'innovaphone', 'simulator']);
  });

  it.each([
    [
      { activeProfile: 'demo', profiles: [demo, { ...viptel, extension: 'twelve' }] },
      'profiles[1].extension',
      'extension',
    ],
    [
      { activeProfile: 'demo', profiles: [demo, { ...viptel, extension: undefined }] },
      'profiles[1].extension',
      'missing',
    ],
    [{ activeProfile: 'demo', profiles: [{ ...demo, type: 'pabx' }] }, 'profiles[0].type', '"viptel"'],
    [{ activeProfile: 'nope', profiles: [demo] }, 'activeProfile', '"demo"'],
    [{ activeProfile: 'demo', profiles: [demo, demo] }, 'profiles[1].id', 'unique'],
    [{ activeProfile: 'demo', profiles: [{ ...demo, colour: 'red' }] }, 'profiles[0]', '"colour"'],
    [{ activeProfile: 'demo', profiles: [] }, 'profiles', 'at least one'],
    [{ activeProfile: 'demo', patriot: { mode: 'client' }, profiles: [demo] }, 'patriot.connect', 'url'],
    [
      { activeProfile: 'demo', patriot: { listen: { port: 70000 } }, profiles: [demo] },
      'patriot.listen.port',
      '65535',
    ],
    [
      { activeProfile: 'demo', patriot: { apiKeys: ['short'] }, profiles: [demo] },
      'patriot.apiKeys[0]',
      '8 characters',
    ],
  ])('names the key path and what was expected (%#)', (raw, keyPath, expected) => {
    const error = errorOf(raw);
    expect(error.keyPath).toBe(keyPath);
    expect(error.message).toContain('c.json');
    expect(error.expected).toContain(expected);
  });

  it('resolves relative paths against the folder of the config file', async () => {
    const sub = path.join(dir, 'site');
    await mkdir(sub);
    const file = path.join(sub, 'bridge.json');
    await mkdir(path.join(sub, 'tls'));
    const keyFile = path.join(dir, 'key.pem');
    for (const pem of [path.join(sub, 'tls/cert.pem'), keyFile, path.join(dir, 'ca.pem')])
      await writeFile(pem, 'PEM');
    await writeFile(
      file,
      JSON.stringify({
        dataDir: './data',
        patriot: { tls: { certFile: 'tls/cert.pem', keyFile } },
        activeProfile: 'office',
        profiles: [{ ...viptel, caFile: '../ca.pem' }],
      }),
    );
    const config = await loadConfigFile(file);
    expect(config.dataDir).toBe(path.join(sub, 'data'));
    expect(config.patriot.tls).toEqual({ certFile: path.join(sub, 'tls/cert.pem'), keyFile });
    expect(config.profiles[0]).toMatchObject({ caFile: path.join(dir, 'ca.pem') });
  });

  it('a caFile, certFile or keyFile that does not exist is a config error naming the key path and the file', async () => {
    const file = path.join(dir, 'missing-ca.json');
    await writeFile(
      file,
      JSON.stringify({ activeProfile: 'office', profiles: [{ ...viptel, caFile: 'nope-ca.pem' }] }),
    );
    const error = await loadConfigFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).keyPath).toBe('profiles[0].caFile');
    expect((error as ConfigError).message).toContain(path.join(dir, 'nope-ca.pem'));
    expect((error as ConfigError).message).toMatch(/does not exist/);

    await writeFile(
      file,
      JSON.stringify({
        activeProfile: 'office',
        patriot: { tls: { certFile: 'c.pem', keyFile: 'k.pem' } },
        profiles: [viptel],
      }),
    );
    await expect(loadConfigFile(file)).rejects.toThrow(
      /patriot\.tls\.certFile: the file .*c\.pem does not exist/,
    );
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(loadConfigFile(path.join(dir, 'absent.json'))).rejects.toThrow(
      /absent\.json: file not found/,
    );
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{ "activeProfile": ');
    await expect(loadConfigFile(bad)).rejects.toThrow(/bad\.json: is not valid JSON/);
  });

  it('finds every secret in a config', () => {
    const config = parseConfig(
      {
        activeProfile: 'office',
        patriot: { apiKeys: ['KEY-ONE-123'], connect: { url: 'wss://x/', apiKey: 'KEY-TWO-456' } },
        profiles: [viptel],
      },
      'c.json',
    );
    expect(collectSecrets(config).sort()).toEqual(['KEY-ONE-123', 'KEY-TWO-456', 'pw-secret']);
  });
});

describe('shipped example configs', () => {
  it.each(['demo.json', 'full.json', 'client-mode.json'])('examples/%s is valid', async (name) => {
    const config = await loadConfigFile(path.join(import.meta.dirname, '../../examples', name));
    expect(config.profiles.length).toBeGreaterThan(0);
  });

  it('examples/full.json has a profile of every type', async () => {
    const config = await loadConfigFile(path.join(import.meta.dirname, '../../examples/full.json'));
    expect(new Set(config.profiles.map((profile) => profile.type))).toEqual(new Set(PROFILE_TYPES));
  });
});
