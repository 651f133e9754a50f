import { describe, expect, it } from 'vitest';
import type { PatriotView } from '../../../src/shared/bridge-types';
import { describeLink, describePatriot, retryWords } from '../../../src/renderer/logic/link-words';

const NOW = 1_000_000;

describe('describeLink', () => {
  it('says a PBX is offline, why, and when it retries', () => {
    expect(
      describeLink(
        'PBX',
        { status: 'offline', reason: 'Can not connect to PBX.', retryAt: NOW + 8_000 },
        NOW,
      ),
    ).toEqual({
      tone: 'error',
      label: 'Offline',
      sentence: 'PBX offline — Can not connect to PBX, retrying in 8 s',
    });
  });

  it('leaves the retry out when none is planned', () => {
    expect(describeLink('PBX', { status: 'offline', reason: 'Stopped by the user' }, NOW).sentence).toBe(
      'PBX offline — Stopped by the user',
    );
  });

  it('says a login failed and where to fix it', () => {
    const words = describeLink('PBX', { status: 'auth-failed', reason: 'wrong username or password' }, NOW);
    expect(words.sentence).toBe('Login failed: wrong username or password');
    expect(words.label).toBe('Login failed');
    expect(words.tone).toBe('error');
    expect(words.advice).toMatch(/username and password .* in Settings/);
    expect(describeLink('Patriot', { status: 'auth-failed', reason: 'bad key' }, NOW).advice).toMatch(
      /API key/,
    );
  });

  it('counts attempts and repeats the last error while connecting', () => {
    expect(describeLink('PBX', { status: 'connecting', attempt: 1 }, NOW).sentence).toBe(
      'Connecting to PBX…',
    );
    expect(
      describeLink('PBX', { status: 'connecting', attempt: 3, lastError: 'ECONNREFUSED' }, NOW).sentence,
    ).toBe('Connecting to PBX (attempt 3)… — last error: ECONNREFUSED');
  });

  it('names online and stopped links', () => {
    expect(describeLink('PBX', { status: 'online' }, NOW)).toEqual({
      tone: 'ok',
      label: 'Online',
      sentence: 'PBX online',
    });
    expect(describeLink('PBX', { status: 'online', detail: 'extension 12' }, NOW).sentence).toBe(
      'PBX online — extension 12',
    );
    expect(describeLink('PBX', { status: 'stopped' }, NOW).label).toBe('Stopped');
  });
});

describe('retryWords', () => {
  it('counts down and then says "now"', () => {
    expect(retryWords(NOW + 75_000, NOW)).toBe('retrying in 1 min 15 s');
    expect(retryWords(NOW + 200, NOW)).toBe('retrying now');
    expect(retryWords(NOW - 3_000, NOW)).toBe('retrying now');
    expect(retryWords(undefined, NOW)).toBe('');
  });
});

describe('describePatriot', () => {
  const view = (peers: PatriotView['peers'], mode: PatriotView['mode'] = 'server'): PatriotView => ({
    mode,
    endpoint: 'wss://127.0.0.1:9009/ws/dialler/v1',
    link: { status: 'online' },
    peers,
  });
  const peer = (id: string, authenticated: boolean) => ({
    id,
    kind: 'inbound' as const,
    authenticated,
    label: 'patriot',
    since: 0,
  });

  it('waits for Patriot while nobody has logged in, and says where Patriot should connect', () => {
    const words = describePatriot(view([]), NOW);
    expect(words.tone).toBe('warn');
    expect(words.sentence).toBe('Waiting for Patriot to connect');
    expect(words.advice).toContain('wss://127.0.0.1:9009/ws/dialler/v1');
    expect(describePatriot(view([peer('a', false)]), NOW).sentence).toBe(
      'Waiting for Patriot to connect (1 not logged in yet)',
    );
  });

  it('counts logged-in Patriot clients', () => {
    expect(describePatriot(view([peer('a', true)]), NOW).sentence).toBe('1 Patriot client connected');
    expect(describePatriot(view([peer('a', true), peer('b', true), peer('c', false)]), NOW).sentence).toBe(
      '2 Patriot clients connected (1 not logged in yet)',
    );
  });

  it('uses the plain link words in client mode and when not online', () => {
    expect(describePatriot(view([], 'client'), NOW).sentence).toBe('Patriot online');
    expect(
      describePatriot({ ...view([]), link: { status: 'auth-failed', reason: 'API key rejected' } }, NOW)
        .sentence,
    ).toBe('Login failed: API key rejected');
  });
});
