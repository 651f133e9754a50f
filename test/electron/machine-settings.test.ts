import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/main/engine/config/load';
import { machineConfigPath, MachineSettings } from '../../src/main/electron/settings/machine-settings';
import { captureLog, type CapturedLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';
import { fakeApiKeyFile } from './fakes';

const itConfig = {
  dataDir: './data',
  patriot: { apiKeys: ['IT-MANAGED-KEY-0042'], allowedOrigins: ['https://ica.example.com'] },
  activeProfile: 'office',
  profiles: [
    {
      id: 'office',
      name: 'Office (VIPTel)',
      type: 'viptel',
      url: 'wss://pbx.example.com:8088',
      username: 'op',
      password: 'it-secret-password',
      extension: '12',
    },
    { id: 'demo', name: 'Demo', type: 'simulator' },
  ],
};

describe('machine-wide config (IT)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  let logged: CapturedLog;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir('dialler-machine-'));
    file = path.join(dir, 'config.json');
    logged = captureLog();
  });
  afterEach(() => cleanup());

  const settings = (engineKey = fakeApiKeyFile()) =>
    new MachineSettings({ file, engineApiKey: engineKey, log: logged.logger });

  it('is looked for in %ProgramData%\\Dialler Bridge on Windows', () => {
    expect(machineConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Dialler Bridge\\config.json',
    );
    expect(machineConfigPath('win32', {})).toBe('C:\\ProgramData\\Dialler Bridge\\config.json');
  });

  it('runs the bridge with IT’s file, paths resolved against its folder', async () => {
    await writeFile(file, JSON.stringify(itConfig));
    const { config } = await settings().loadConfig();
    expect(config.dataDir).toBe(path.join(dir, 'data'));
    expect(config.activeProfile).toBe('office');
    expect(config.patriot.apiKeys).toEqual(['IT-MANAGED-KEY-0042']);
  });

  it('locks editing and says why', async () => {
    await writeFile(file, JSON.stringify(itConfig));
    const machine = settings();
    const view = await machine.view();
    expect(view.lockedBy).toContain(file);
    expect(view.lockedBy).toContain('IT department');
    await expect(machine.saveProfile()).resolves.toMatchObject({ ok: false, message: view.lockedBy });
    await expect(machine.savePatriotSettings()).resolves.toMatchObject({ ok: false });
    await expect(machine.deleteProfile()).resolves.toMatchObject({ ok: false });
    await expect(machine.regenerateApiKey()).resolves.toMatchObject({ ok: false });
  });

  it('shows the profiles without their passwords', async () => {
    await writeFile(file, JSON.stringify(itConfig));
    const view = await settings().view();
    expect(JSON.stringify(view)).not.toContain('it-secret-password');
    expect(JSON.stringify(view)).not.toContain('IT-MANAGED-KEY-0042');
    expect(view.profiles[0]).toMatchObject({
      id: 'office',
      fields: { url: 'wss://pbx.example.com:8088', username: 'op', extension: '12' },
      secrets: { password: { stored: true } },
    });
    expect(view.patriot).toMatchObject({ mode: 'server', port: 9009, apiKeyHint: '••••••••0042' });
  });

  it('scrubs the file’s secrets from every log line', async () => {
    await writeFile(file, JSON.stringify(itConfig));
    await settings().loadConfig();
    logged.logger.info('oops', { detail: 'it-secret-password and IT-MANAGED-KEY-0042' });
    expect(logged.text()).not.toContain('it-secret-password');
    expect(logged.text()).not.toContain('IT-MANAGED-KEY-0042');
  });

  it('copies the engine-generated key when the file lists none', async () => {
    await writeFile(file, JSON.stringify({ ...itConfig, patriot: {} }));
    const engineKey = fakeApiKeyFile('GENERATED-IN-DATADIR');
    await expect(settings(engineKey).apiKey()).resolves.toBe('GENERATED-IN-DATADIR');
  });

  it('reports an invalid file by key path', async () => {
    await writeFile(file, JSON.stringify({ ...itConfig, activeProfile: 'nope' }));
    const failure = await settings()
      .loadConfig()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).keyPath).toBe('activeProfile');
  });

  it('shows a Harmony profile’s protocol whole (one JSON field), its password only as stored', async () => {
    const harmony = {
      id: 'cc',
      name: 'Contact centre',
      type: 'harmony',
      url: 'tcp://127.0.0.1:5070',
      agentId: 'a7',
      password: 'it-harmony-pass',
      extension: '2001',
      protocol: { commands: { release: 'conversation.hangup' } },
    };
    await writeFile(file, JSON.stringify({ ...itConfig, profiles: [...itConfig.profiles, harmony] }));
    const view = await settings().view();
    const cc = view.profiles.find((profile) => profile.id === 'cc')!;
    expect(cc.secrets).toEqual({ password: { stored: true } });
    expect(JSON.stringify(cc)).not.toContain('it-harmony-pass');
    expect(cc.fields.protocol).toMatchObject({
      commands: { release: 'conversation.hangup', dial: 'channel.dial' },
    });
    expect(Object.keys(cc.fields).filter((key) => key.startsWith('protocol.'))).toEqual([]);
  });
});
