import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/main/engine/config/load';
import { createAdapter } from '../../../src/main/engine/pbx/registry';
import { HarmonyAdapter } from '../../../src/main/engine/pbx/harmony/adapter';
import { harmonyProfileSchema } from '../../../src/main/engine/pbx/harmony/profile';
import { silentLogger } from '../../../src/main/engine/log/logger';
import { contextIds } from '../../support/adapter-dial';

/** The contract's example profile. */
const contractExample = {
  id: 'cc',
  name: 'Contact centre (Harmony)',
  type: 'harmony',
  url: 'tcp://his.example.com:7000',
  agentId: '1001',
  password: 'secret',
  extension: '1001',
  model: '',
  overrideExistingSession: false,
};

function errorOf(profile: Record<string, unknown>): ConfigError {
  try {
    parseConfig({ activeProfile: 'cc', profiles: [profile] }, 'c.json');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a config error');
}

describe('Harmony profile', () => {
  it("accepts the contract's example and fills the default wire profile", () => {
    const config = parseConfig({ activeProfile: 'cc', profiles: [contractExample] }, 'c.json');
    const profile = config.profiles[0];
    expect(profile).toMatchObject({ type: 'harmony', caFile: null, rejectUnauthorized: true });
    if (profile?.type !== 'harmony') throw new Error('not a harmony profile');
    expect(profile.protocol).toMatchObject({
      framing: { magic: '~!OM', lengthByteOrder: 'big', transportIndex: 0, maxFrameBytes: 1_048_576 },
      transport: {
        clientId: 'dialler-bridge',
        clientName: 'Dialler Bridge',
        protocolName: 'dcp',
        protocolVersion: '1.0',
      },
      commands: {
        getServices: 'getServices',
        bindService: 'bindService',
        prepareSession: 'prepareSession',
        bindResource: 'bindResource',
        addChannel: 'session.request.addchannel',
        dial: 'channel.dial',
        release: 'conversation.release',
        logout: 'session.request.logout',
      },
      calls: {
        ringingStates: ['ALERTING', 'DIALING'],
        connectedStates: ['STARTED'],
        callerNumberPaths: ['data.interaction.ani'],
      },
      timeouts: { requestMs: 10_000, prepareSessionMs: 30_000, logoutMs: 2_000 },
    });
  });

  it('keeps every other default when one key is overridden', () => {
    const profile = harmonyProfileSchema.parse({
      ...contractExample,
      protocol: { commands: { release: 'conversation.hangup' }, framing: { lengthByteOrder: 'little' } },
    });
    expect(profile.protocol.commands).toMatchObject({ release: 'conversation.hangup', dial: 'channel.dial' });
    expect(profile.protocol.framing).toMatchObject({ lengthByteOrder: 'little', magic: '~!OM' });
  });

  it.each([
    [{ url: 'wss://his.example.com:7000' }, 'profiles[0].url', 'tcp://'],
    [{ url: 'tcp://his.example.com' }, 'profiles[0].url', 'host:port'],
    [{ agentId: undefined }, 'profiles[0].agentId', 'missing'],
    [{ extension: ' ' }, 'profiles[0].extension', 'non-empty'],
    [{ protocol: { commands: { relase: 'x' } } }, 'profiles[0].protocol.commands', '"relase"'],
    [
      { protocol: { framing: { lengthByteOrder: 'middle' } } },
      'profiles[0].protocol.framing.lengthByteOrder',
      'big',
    ],
    [{ protocol: { framing: { magic: 'OM' } } }, 'profiles[0].protocol.framing.magic', '4'],
    [{ protocol: { timeouts: { logoutMs: 5_000 } } }, 'profiles[0].protocol.timeouts.logoutMs', '2000'],
  ])('names the key path and what was expected (%#)', (change, keyPath, expected) => {
    const error = errorOf({ ...contractExample, ...change });
    expect(error.keyPath).toBe(keyPath);
    expect(error.expected).toContain(expected);
  });

  it('is created by the registry as the Harmony adapter', () => {
    const profile = harmonyProfileSchema.parse(contractExample);
    const adapter = createAdapter(profile, {
      log: silentLogger,
      ...contextIds,
      events: { link: () => undefined, call: () => undefined },
    });
    expect(adapter).toBeInstanceOf(HarmonyAdapter);
    expect(adapter.link.status).toBe('stopped');
    // tcp:// to another host is in clear text: the user is told.
    expect(adapter.warnings()).toEqual([expect.stringMatching(/without encryption/)]);
  });
});
