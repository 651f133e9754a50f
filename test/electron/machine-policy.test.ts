// IT's policy in the machine-wide config.json: defaults, every key, and the errors IT sees.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/main/engine/config/load';
import { DEFAULT_POLICY, readMachineFile } from '../../src/main/electron/settings/machine-policy';
import { MachineSettings } from '../../src/main/electron/settings/machine-settings';
import { captureLog } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';
import { fakeApiKeyFile } from './fakes';

const bridge = {
  activeProfile: 'demo',
  profiles: [
    { id: 'office', name: 'Office', type: 'simulator' },
    { id: 'demo', name: 'Demo', type: 'simulator' },
  ],
};

describe('machine policy', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir('dialler-policy-'));
    file = path.join(dir, 'config.json');
  });
  afterEach(() => cleanup());

  const write = (content: unknown) => writeFile(file, JSON.stringify(content));
  const refusal = async (content: unknown): Promise<string> => {
    await write(content);
    const error = await readMachineFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  };

  it('defaults: settings locked to the file, links and hotkey allowed, no updates', async () => {
    await write(bridge);
    const { policy, bridgeConfig } = await readMachineFile(file);
    expect(policy).toEqual({ userMayEditSettings: false, telLinks: true, dialHotkey: true, updates: 'off' });
    expect(policy).toEqual(DEFAULT_POLICY);
    expect(bridgeConfig).toEqual(bridge);
  });

  it('IT turns links and the hotkey off and points updates at its feed', async () => {
    await write({
      ...bridge,
      policy: {
        telLinks: false,
        dialHotkey: false,
        updates: { url: 'https://updates.example.com/dialler/' },
      },
    });
    const { policy } = await readMachineFile(file);
    expect(policy).toMatchObject({
      telLinks: false,
      dialHotkey: false,
      updates: { url: 'https://updates.example.com/dialler/', channel: 'latest' },
    });
  });

  it('the bridge config in the same file still runs the bridge, "policy" aside', async () => {
    await write({ ...bridge, policy: { telLinks: false } });
    const machine = new MachineSettings({ file, engineApiKey: fakeApiKeyFile(), log: captureLog().logger });
    const { config } = await machine.loadConfig();
    expect(config.profiles.map((profile) => profile.id)).toEqual(['office', 'demo']);
    expect(config.activeProfile).toBe('demo');
  });

  it('a policy-only file lets the user keep their own settings', async () => {
    await write({ policy: { userMayEditSettings: true, dialHotkey: false } });
    const { policy, bridgeConfig } = await readMachineFile(file);
    expect(policy.userMayEditSettings).toBe(true);
    expect(bridgeConfig).toBeNull();
  });

  it.each([
    [{ ...bridge, policy: { telLink: false } }, 'policy: unknown key "telLink" (check the spelling)'],
    [{ ...bridge, policy: { telLinks: 'no' } }, 'policy.telLinks: expected boolean'],
    [
      { ...bridge, policy: { updates: { url: 'http://updates.example.com/' } } },
      'http:// only for 127.0.0.1',
    ],
    [{ ...bridge, policy: { updates: { url: 'updates' } } }, 'policy.updates.url: expected an absolute URL'],
    [
      { ...bridge, policy: { updates: { url: 'https://u.example.com/', channel: 'Beta!' } } },
      'policy.updates.channel: expected a channel name',
    ],
    [
      { ...bridge, policy: { userMayEditSettings: true } },
      'remove "activeProfile", "profiles" or set it to false',
    ],
    [[1, 2], 'expected a JSON object'],
  ])('refuses %j: %s', async (content, message) => {
    expect(await refusal(content)).toContain(message);
  });

  it('an update feed on this PC over plain http is allowed (a local mirror)', async () => {
    await write({ ...bridge, policy: { updates: { url: 'http://127.0.0.1:8080/feed', channel: 'beta' } } });
    expect((await readMachineFile(file)).policy.updates).toEqual({
      url: 'http://127.0.0.1:8080/feed',
      channel: 'beta',
    });
  });
});
