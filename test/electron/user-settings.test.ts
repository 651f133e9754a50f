import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { electronStub, resetElectronStub, safeStorage } from './electron-stub';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileSettingsInput } from '../../src/shared/ipc-contract';
import { SecretBox } from '../../src/main/electron/settings/secret-box';
import { openSettingsFile, type SettingsFile } from '../../src/main/electron/settings/settings-file';
import { UserSettings } from '../../src/main/electron/settings/user-settings';
import { INVOKE_ARGS } from '../../src/main/electron/ipc/invoke-args';
import { profileTypeInfo } from '../../src/main/electron/settings/profile-forms';
import { draftFromProfile, draftToInput, newDraft } from '../../src/renderer/logic/profile-form';
import { captureLog, type CapturedLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';

import { fakeApiKeyFile } from './fakes';

const PASSWORD = 'Sup3r-Secret-PBX-pass';

const office: ProfileSettingsInput = {
  id: 'office',
  name: 'Office (VIPTel)',
  type: 'viptel',
  fields: {
    url: 'wss://pbx.example.com:8088',
    username: 'operator',
    extension: '12',
    'dialRules.outsideLinePrefix': '9',
  },
  secrets: { password: PASSWORD },
};

describe('user settings', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: SettingsFile;
  let logged: CapturedLog;
  let engineKey: ReturnType<typeof fakeApiKeyFile>;

  const open = () => {
    const opened = openSettingsFile(dir);
    file = opened.file;
    return new UserSettings({
      file,
      secrets: new SecretBox(safeStorage),
      dataDir: path.join(dir, 'data'),
      engineApiKey: engineKey,
      log: logged.logger,
    });
  };
  const settingsText = () => readFile(path.join(dir, 'settings.json'), 'utf8');

  beforeEach(async () => {
    resetElectronStub();
    ({ dir, cleanup } = await makeTempDir('dialler-settings-'));
    electronStub.setPath('userData', dir);
    logged = captureLog();
    engineKey = fakeApiKeyFile();
  });
  afterEach(async () => {
    resetElectronStub();
    await cleanup();
  });

  it('starts with the demo simulator so the bridge can run on first launch', async () => {
    const { config, problems } = await open().loadConfig();
    expect(problems).toEqual([]);
    expect(config.activeProfile).toBe('demo');
    expect(config.profiles).toEqual([expect.objectContaining({ id: 'demo', type: 'simulator' })]);
    expect(config.patriot.listen).toEqual({ host: '127.0.0.1', port: 9009, path: '/ws/dialler/v1' });
    expect(config.dataDir).toBe(path.join(dir, 'data'));
  });

  it('saves a profile with its password encrypted: the file holds neither the password nor its base64', async () => {
    const settings = open();
    await expect(settings.saveProfile(office)).resolves.toEqual({ ok: true });

    const text = await settingsText();
    expect(text).toContain('"office"');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));

    // A new instance (next app start) reads it back and decrypts it for the bridge.
    const { config } = await open().loadConfig();
    expect(config.profiles.find((profile) => profile.id === 'office')).toMatchObject({
      type: 'viptel',
      url: 'wss://pbx.example.com:8088',
      username: 'operator',
      password: PASSWORD,
      extension: '12',
      dialRules: { outsideLinePrefix: '9' },
    });
  });

  it('never puts a secret in the settings view, only whether one is stored', async () => {
    const settings = open();
    await settings.saveProfile(office);
    const view = await settings.view();
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(JSON.stringify(view)).not.toContain(engineKey.key);
    const saved = view.profiles.find((profile) => profile.id === 'office');
    expect(saved).toEqual({
      id: 'office',
      name: 'Office (VIPTel)',
      type: 'viptel',
      fields: office.fields,
      secrets: { password: { stored: true } },
    });
    expect(view.lockedBy).toBeNull();
    expect(view.patriot.apiKeyHint).toMatch(/^•+[A-Z2-7]{4}$/);
    expect(view.profileTypes.map((type) => type.type)).toEqual(
      expect.arrayContaining(['simulator', 'viptel', 'innovaphone']),
    );
  });

  it('keeps the stored password when the form omits it, and replaces it when given', async () => {
    const settings = open();
    await settings.saveProfile(office);
    await expect(
      settings.saveProfile({ ...office, name: 'Office 2', secrets: {}, fields: { extension: '13' } }),
    ).resolves.toEqual({ ok: true });
    let profile = (await settings.loadConfig()).config.profiles.find((p) => p.id === 'office');
    expect(profile).toMatchObject({
      name: 'Office 2',
      password: PASSWORD,
      extension: '13',
      username: 'operator',
    });

    await settings.saveProfile({ ...office, secrets: { password: 'new-password-2' } });
    profile = (await settings.loadConfig()).config.profiles.find((p) => p.id === 'office');
    expect(profile).toMatchObject({ password: 'new-password-2' });
  });

  it('unsets a field the user emptied (callerId back to none)', async () => {
    const settings = open();
    await settings.saveProfile({ ...office, fields: { ...office.fields, callerId: '0800123' } });
    await settings.saveProfile({ ...office, secrets: {}, fields: { callerId: '' } });
    const profile = (await settings.loadConfig()).config.profiles.find((p) => p.id === 'office');
    expect(profile).toMatchObject({ callerId: null });
  });

  it('answers field errors keyed by key path, and saves nothing', async () => {
    const settings = open();
    const result = await settings.saveProfile({
      ...office,
      fields: { url: 'https://not-a-websocket', extension: 'abc', 'dialRules.outsideLinePrefix': 'x' },
      secrets: {},
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toMatchObject({
      url: expect.stringContaining('ws://'),
      extension: expect.stringContaining('digits'),
      'dialRules.outsideLinePrefix': expect.any(String),
      password: 'required',
    });
    expect(await settingsText()).not.toContain('"office"');
  });

  it('saves a Harmony profile from the form: password sealed, protocol as one JSON object', async () => {
    const settings = open();
    const info = profileTypeInfo('harmony')!;
    const draft = { ...newDraft(info), name: 'Contact centre' };
    Object.assign(draft.values, {
      url: 'tcp://127.0.0.1:5070',
      agentId: 'agent7',
      extension: '2001',
      protocol: '{"commands": {"release": "conversation.hangup"}, "calls": {"busyStates": ["BUSY"]}}',
    });
    draft.secrets.password = PASSWORD;
    const input = draftToInput(draft, info, []);
    // Exactly what the window sends passes the IPC schema.
    expect(INVOKE_ARGS.saveProfile.safeParse([input]).success).toBe(true);
    await expect(settings.saveProfile(input)).resolves.toEqual({ ok: true });
    expect(await settingsText()).not.toContain(PASSWORD);

    const profile = (await open().loadConfig()).config.profiles.find((p) => p.id === 'contact-centre');
    expect(profile).toMatchObject({ type: 'harmony', password: PASSWORD, agentId: 'agent7' });
    const protocol = (profile as { protocol: { commands: { release: string; dial: string } } }).protocol;
    expect(protocol.commands).toMatchObject({ release: 'conversation.hangup', dial: 'channel.dial' });

    // The view gives the object back whole, and the form shows it as JSON.
    const view = (await settings.view()).profiles.find((p) => p.id === 'contact-centre')!;
    expect(view.fields.protocol).toEqual({
      commands: { release: 'conversation.hangup' },
      calls: { busyStates: ['BUSY'] },
    });
    const again = draftFromProfile(view, info);
    expect(JSON.parse(String(again.values.protocol))).toEqual(view.fields.protocol);

    // Emptied: back to the default wire profile.
    again.values.protocol = '';
    await expect(settings.saveProfile(draftToInput(again, info, []))).resolves.toEqual({ ok: true });
    const reset = (await settings.view()).profiles.find((p) => p.id === 'contact-centre')!;
    expect(reset.fields).not.toHaveProperty('protocol');
  });

  it('answers a bad protocol override with errors under the protocol key path', async () => {
    const settings = open();
    const result = await settings.saveProfile({
      id: 'cc',
      name: 'CC',
      type: 'harmony',
      fields: {
        url: 'tcp://127.0.0.1:5070',
        agentId: 'a',
        extension: '1',
        protocol: { framing: { magic: 'TOOLONG' }, commandz: {} },
      },
      secrets: { password: PASSWORD },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toMatchObject({
      'protocol.framing.magic': 'expected 4 ASCII characters',
      protocol: 'unknown key(s) "commandz"',
    });
  });

  it('refuses to save a secret when OS encryption is unavailable, and says so', async () => {
    electronStub.encryptionAvailable = false;
    const settings = open();
    const result = await settings.saveProfile(office);
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining('no secure storage'),
      fieldErrors: { password: expect.stringContaining('not saved') },
    });
    const text = await settingsText().catch(() => '');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('"office"');
  });

  it('re-encrypts secrets when the OS rotated its key (shouldReEncrypt)', async () => {
    const settings = open();
    await settings.saveProfile(office);
    const before = JSON.parse(await settingsText()) as {
      profiles: { id: string; secrets: { password: string } }[];
    };
    const sealedBefore = before.profiles.find((p) => p.id === 'office')!.secrets.password;

    electronStub.rotateKey();
    const { config } = await open().loadConfig();
    expect(config.profiles.find((p) => p.id === 'office')).toMatchObject({ password: PASSWORD });

    const after = JSON.parse(await settingsText()) as typeof before;
    const sealedAfter = after.profiles.find((p) => p.id === 'office')!.secrets.password;
    expect(sealedAfter).not.toBe(sealedBefore);
    const reopened = await safeStorage.decryptStringAsync(Buffer.from(sealedAfter, 'base64'));
    expect(reopened).toEqual({ result: PASSWORD, shouldReEncrypt: false });
  });

  it('generates one API key on first run, stores it sealed, and keeps it', async () => {
    const settings = open();
    const first = await settings.apiKey();
    expect(first).toMatch(/^[A-Z2-7]{52}$/);
    expect(await settingsText()).not.toContain(first);
    expect(await open().apiKey()).toBe(first);
    const { config } = await open().loadConfig();
    expect(config.patriot.apiKeys).toEqual([first]);
  });

  it('regenerates the API key on request', async () => {
    const settings = open();
    const first = await settings.apiKey();
    await expect(settings.regenerateApiKey()).resolves.toEqual({ ok: true });
    const second = await settings.apiKey();
    expect(second).not.toBe(first);
    expect((await settings.view()).patriot.apiKeyHint).toBe(`••••••••${second.slice(-4)}`);
  });

  it('without secure storage, falls back to the engine key file and tells the user', async () => {
    electronStub.encryptionAvailable = false;
    const { config, problems } = await open().loadConfig();
    expect(config.patriot.apiKeys).toEqual([engineKey.key]);
    expect(problems.join(' ')).toContain('api-key.txt');
  });

  it('leaves out a profile whose password no longer decrypts, and says which', async () => {
    const settings = open();
    await settings.saveProfile(office);
    await settings.rememberActiveProfile('office');
    const stored = JSON.parse(await settingsText()) as {
      profiles: { id: string; secrets: Record<string, string> }[];
    };
    stored.profiles.find((p) => p.id === 'office')!.secrets.password =
      Buffer.from('copied from another PC').toString('base64');
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify(stored));

    const { config, problems } = await open().loadConfig();
    expect(config.profiles.map((p) => p.id)).toEqual(['demo']);
    expect(config.activeProfile).toBe('demo');
    expect(problems.join('\n')).toContain('password of profile "Office (VIPTel)" could not be decrypted');
  });

  it('validates Patriot settings and maps errors to the form fields', async () => {
    const settings = open();
    const result = await settings.savePatriotSettings({
      mode: 'client',
      port: 70000,
      allowedOrigins: ['https://ica.example.com/path'],
      connectUrl: null,
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        port: expect.any(String),
        'allowedOrigins[0]': expect.any(String),
        connectUrl: expect.any(String),
      },
    });

    await expect(
      settings.savePatriotSettings({
        mode: 'client',
        port: 9010,
        allowedOrigins: ['https://ica.example.com'],
        connectUrl: 'wss://desktop-client-api.patriotsystems.com:9009/ws/dialler/v1',
        connectFingerprint256: 'AA:'.repeat(31) + 'AA',
      }),
    ).resolves.toEqual({ ok: true });
    const { config } = await settings.loadConfig();
    const key = await settings.apiKey();
    expect(config.patriot).toMatchObject({
      mode: 'client',
      listen: { port: 9010 },
      allowedOrigins: ['https://ica.example.com'],
      connect: { url: 'wss://desktop-client-api.patriotsystems.com:9009/ws/dialler/v1', apiKey: key },
    });
  });

  it("stores Patriot's own WebSocketApiKey for client mode sealed, keeps it when omitted, never shows it", async () => {
    const patriotKey = 'patriots-own-websocket-key';
    const settings = open();
    const client = {
      mode: 'client' as const,
      port: 9009,
      allowedOrigins: [],
      connectUrl: 'wss://127.0.0.1:9443/ws/dialler/v1',
    };
    expect((await settings.view()).patriot.connectApiKeyStored).toBe(false);
    // Without Patriot's key, the bridge's own key is presented (as before).
    await settings.savePatriotSettings(client);
    expect((await settings.loadConfig()).config.patriot.connect?.apiKey).toBe(await settings.apiKey());

    await expect(settings.savePatriotSettings({ ...client, connectApiKey: patriotKey })).resolves.toEqual({
      ok: true,
    });
    expect((await settings.loadConfig()).config.patriot.connect?.apiKey).toBe(patriotKey);
    const view = await settings.view();
    expect(view.patriot.connectApiKeyStored).toBe(true);
    expect(JSON.stringify(view)).not.toContain(patriotKey);
    expect(await settingsText()).not.toContain(patriotKey);

    // Saved again without a key: the stored one stays.
    await settings.savePatriotSettings({ ...client, port: 9010 });
    expect((await open().loadConfig()).config.patriot.connect?.apiKey).toBe(patriotKey);
    expect(logged.text()).not.toContain(patriotKey);
  });

  it('refuses a too-short Patriot key, or any key when the OS cannot encrypt, next to the key field', async () => {
    const settings = open();
    const client = {
      mode: 'client' as const,
      port: 9009,
      allowedOrigins: [],
      connectUrl: 'wss://127.0.0.1:9443',
    };
    await expect(settings.savePatriotSettings({ ...client, connectApiKey: 'short' })).resolves.toMatchObject({
      ok: false,
      fieldErrors: { connectApiKey: expect.any(String) },
    });
    electronStub.encryptionAvailable = false;
    await expect(
      settings.savePatriotSettings({ ...client, connectApiKey: 'long-enough-key' }),
    ).resolves.toMatchObject({
      ok: false,
      fieldErrors: { connectApiKey: expect.stringMatching(/Secure storage/) },
    });
    expect(await settingsText()).not.toContain('long-enough-key');
  });

  it('refuses to delete the active profile, deletes others with their secrets', async () => {
    const settings = open();
    await settings.saveProfile(office);
    await expect(settings.deleteProfile('demo')).resolves.toMatchObject({ ok: false });
    await expect(settings.deleteProfile('office')).resolves.toEqual({ ok: true });
    const text = await settingsText();
    expect(text).not.toContain('"office"');
    expect(text).not.toContain('"password"');
  });

  it('moves an unreadable settings file aside and starts from defaults', async () => {
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, profiles: 'nope' }));
    const opened = openSettingsFile(dir);
    expect(opened.problem).toContain('could not be read');
    expect(opened.file.read().profiles.map((p) => p.id)).toEqual(['demo']);
    expect((await readdir(dir)).some((name) => name.startsWith('settings.invalid-'))).toBe(true);
  });

  it('never logs a secret it handled', async () => {
    const settings = open();
    await settings.saveProfile(office);
    electronStub.rotateKey();
    await open().loadConfig();
    const key = await settings.apiKey();
    logged.logger.info('echo', { note: `password is ${PASSWORD} and key ${key}` });
    expect(logged.text()).not.toContain(PASSWORD);
    expect(logged.text()).not.toContain(key);
  });
});
