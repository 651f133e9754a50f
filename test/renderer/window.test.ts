// The built window in Debian's chromium, with a typed DiallerApi stub in place of the preload.
import { describe, expect, it } from 'vitest';
import { profileTypeInfo } from '../../src/main/electron/settings/profile-forms';
import type { ProfileSettingsInput } from '../../src/shared/ipc-contract';
import {
  makeCall,
  makeLogEntry,
  makeSettings,
  makeSnapshot,
  makeStubConfig,
  PROFILES,
  RECENT_CALLS,
  T0,
} from './support/sample-data';
import { waitFor } from '../support/wait';
import type { StubConfig } from './support/stub-protocol';
import { useWindows, waitForText, type WindowUnderTest } from './support/window-harness';

const openWith = useWindows();

async function openWindow(config: StubConfig = makeStubConfig()): Promise<WindowUnderTest> {
  return openWith(config);
}

async function openSettings(window: WindowUnderTest): Promise<void> {
  await window.page.getByRole('button', { name: 'Settings' }).click();
  await waitForText(window.page.getByRole('heading', { level: 1 }), 'Settings');
  await waitForText(window.page.locator('.profile-list'), 'Office (VIPTel)');
}

describe('main window', () => {
  it('shows an idle, connected bridge with its recent calls', async () => {
    const window = await openWindow();
    const { page } = window;
    await waitForText(page.getByRole('region', { name: 'Current call' }), 'No call');
    await waitForText(page.locator('[data-link="Patriot"]'), '1 Patriot client connected');
    await waitForText(page.locator('[data-link="PBX"]'), 'PBX online');
    expect(await page.getByLabel('PBX profile').inputValue()).toBe('office');
    const recent = await waitForText(page.locator('.recent-list'), 'Completed · 1:52');
    expect(recent).toContain('0123456789');
    expect(recent).toContain('09:10');
    expect(recent).toContain('No answer');
    expect(await page.getByRole('button', { name: 'Hang up' }).count()).toBe(0);
    await window.screenshot('idle');
  });

  it('follows a call from ringing to connected to ended; Hang up asks the bridge to hang up', async () => {
    const window = await openWindow();
    const { page } = window;
    const card = page.getByRole('region', { name: 'Current call' });
    await waitForText(card, 'No call');
    // The clock stands still from here on, so the talk time only moves when the test says so.
    const now = T0 + 60_000;
    await page.clock.pauseAt(now);

    const ringing = makeCall({ startedAt: now - 3_000 });
    await window.pushSnapshot(makeSnapshot({ calls: [ringing] }));
    const ringingText = await waitForText(card, 'Ringing');
    expect(ringingText).toContain('+44 20 7946 0018');
    expect(ringingText).toContain('Incoming');
    await window.screenshot('ringing');

    const connected = { ...ringing, phase: 'connected' as const, connectedAt: now - 65_000 };
    await window.pushSnapshot(makeSnapshot({ calls: [connected], patriotStatus: { callActive: true } }));
    await waitForText(card, 'Connected');
    await waitForText(card, '1:05');
    await page.clock.runFor(2_500);
    await waitForText(card, '1:07');
    await window.screenshot('connected');

    await card.getByRole('button', { name: 'Hang up' }).click();
    expect(await window.calls('hangup')).toHaveLength(1);

    await page.clock.resume();
    const logged = makeLogEntry({
      id: 'log-2',
      direction: 'inbound',
      number: '+44 20 7946 0018',
      talkSec: 67,
      outcome: 'completed',
    });
    await window.setRecentCalls([logged, ...RECENT_CALLS]);
    expect(await window.calls('getRecentCalls')).toHaveLength(1);
    await window.pushSnapshot(makeSnapshot({ calls: [] }));
    const endedText = await waitForText(card, 'Call ended');
    expect(endedText).toContain('+44 20 7946 0018');
    expect(await card.getByRole('button', { name: 'Hang up' }).count()).toBe(0);
    await waitForText(page.locator('.recent-list'), 'Completed · 1:07');
    expect(await window.calls('getRecentCalls')).toHaveLength(2);
  });

  it('shows why a dial failed on the call card', async () => {
    const window = await openWindow();
    const card = window.page.getByRole('region', { name: 'Current call' });
    await waitForText(card, 'No call');
    const failed = makeCall({
      direction: 'outbound',
      phase: 'ended',
      remoteNumber: '0900123456',
      endedAt: T0,
      outcome: 'rejected',
      detail: 'Number blocked by dial rules: 0900*',
    });
    await window.pushSnapshot(makeSnapshot({ calls: [failed] }));
    const text = await waitForText(card, 'Call ended');
    expect(text).toContain('Rejected: Number blocked by dial rules: 0900*');
    expect(text).toContain('Outgoing');
  });

  it('keeps a warning up while the call log cannot be written, and drops it once it can', async () => {
    const window = await openWindow();
    const warning = window.page.getByRole('alert', { name: 'Call log problem' });
    await waitForText(window.page.locator('[data-link="PBX"]'), 'PBX online');
    expect(await warning.count()).toBe(0);
    await window.pushSnapshot(
      makeSnapshot({ callLogProblem: 'Cannot write /data/calls.jsonl: the disk is full (ENOSPC).' }),
    );
    expect(await waitForText(warning, 'Calls are not being logged')).toContain('the disk is full');
    expect(await warning.getByRole('button').count()).toBe(0); // not dismissable
    await window.screenshot('call-log-problem');
    await window.pushSnapshot(makeSnapshot());
    await waitFor(async () => (await warning.count()) === 0, 'the warning gone');
  });

  it('says why a call ended when the bridge reports it as its last ended call', async () => {
    const window = await openWindow();
    const card = window.page.getByRole('region', { name: 'Current call' });
    const ringing = makeCall({ id: 'c-7', direction: 'outbound', phase: 'ringing', remoteNumber: '0123' });
    await window.pushSnapshot(makeSnapshot({ calls: [ringing] }));
    await waitForText(card, '0123');
    const ended = {
      ...ringing,
      phase: 'ended' as const,
      endedAt: T0,
      outcome: 'busy' as const,
      detail: 'busy',
    };
    await window.pushSnapshot(makeSnapshot({ calls: [], lastEndedCall: ended }));
    expect(await waitForText(card, 'Busy')).toContain('0123');
  });

  it('switches profile with the chosen id and shows the new active profile', async () => {
    const window = await openWindow();
    const { page } = window;
    const switcher = page.getByLabel('PBX profile');
    await waitForText(page.locator('[data-link="PBX"]'), 'Office (VIPTel)');
    await switcher.selectOption({ label: 'HQ (innovaphone)' });
    await waitForText(page.locator('[data-link="PBX"]'), 'HQ (innovaphone)');
    expect((await window.calls('switchProfile')).map((call) => call.args)).toEqual([['hq']]);
    expect(await switcher.inputValue()).toBe('hq');
    await waitForText(page.locator('[data-link="PBX"]'), 'Connecting to PBX');
  });

  it('keeps the active profile and says why when a switch fails', async () => {
    const config = makeStubConfig({
      responses: { switchProfile: { ok: false, message: 'Profile "demo" is broken' } },
    });
    const window = await openWindow(config);
    const { page } = window;
    const switcher = page.getByLabel('PBX profile');
    await waitForText(page.locator('[data-link="PBX"]'), 'Office (VIPTel)');
    await switcher.selectOption('demo');
    await waitForText(page.getByRole('banner'), 'Could not switch: Profile "demo" is broken');
    expect(await switcher.inputValue()).toBe('office');
  });

  it('says in plain words when the PBX is offline or refuses the login, and what failed', async () => {
    const window = await openWindow();
    const { page } = window;
    await waitForText(page.getByRole('region', { name: 'Current call' }), 'No call');
    const now = T0 + 60_000;
    await page.clock.pauseAt(now);
    await window.pushSnapshot(
      makeSnapshot({
        patriot: { ...makeSnapshot().patriot, peers: [] },
        pbx: {
          profile: PROFILES[0]!,
          link: { status: 'offline', reason: 'Can not connect to PBX', retryAt: now + 8_000 },
          warnings: [],
        },
      }),
    );
    await waitForText(
      page.locator('[data-link="PBX"]'),
      'PBX offline — Can not connect to PBX, retrying in 8 s',
    );
    await waitForText(page.locator('[data-link="Patriot"]'), 'Waiting for Patriot to connect');
    await window.pushNotice({
      at: now - 2_000,
      level: 'error',
      kind: 'dial-failed',
      message: 'Could not dial 0123456789: the PBX is offline',
    });
    const notice = page.getByRole('alert').filter({ hasText: 'Call not placed' });
    await waitForText(notice, 'Could not dial 0123456789: the PBX is offline');
    await window.screenshot('offline');
    await page.emulateMedia({ colorScheme: 'dark' });
    await window.screenshot('offline-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await window.pushSnapshot(
      makeSnapshot({
        pbx: {
          profile: PROFILES[0]!,
          link: { status: 'auth-failed', reason: 'wrong username or password' },
          warnings: [],
        },
      }),
    );
    const pbxRow = await waitForText(
      page.locator('[data-link="PBX"]'),
      'Login failed: wrong username or password',
    );
    expect(pbxRow).toContain('Check the username and password of this profile in Settings.');
    await window.screenshot('login-failed');
    await page.locator('[data-link="PBX"]').getByRole('button', { name: 'Retry now' }).click();
    expect(await window.calls('retryPbx')).toHaveLength(1);

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  it('checks a test-dial number before dialing and shows the result', async () => {
    const window = await openWindow();
    const { page } = window;
    const form = page.locator('form.test-dial');
    const field = page.getByLabel('Test dial');

    await field.fill('0123 45a');
    await form.getByRole('button', { name: 'Dial' }).click();
    await waitForText(form, 'Use only digits 0-9, * and #, with an optional + at the start.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    await field.fill('12+34');
    await field.press('Enter');
    await waitForText(form, 'A + is only allowed at the start.');
    expect(await window.calls('dial')).toEqual([]);

    await field.fill('+44 (20) 7946-0000');
    await field.press('Enter');
    await waitForText(form, 'Dial request sent for +442079460000.');
    expect((await window.calls('dial')).map((call) => call.args)).toEqual([['+442079460000']]);

    await window.setResponses({
      dial: { ok: false, message: 'The PBX is offline: the call was not placed.' },
    });
    await field.fill('*21#');
    await field.press('Enter');
    await waitForText(form.getByRole('alert'), 'The PBX is offline: the call was not placed.');
    expect((await window.calls('dial')).map((call) => call.args)).toEqual([['+442079460000'], ['*21#']]);
  });
});

describe('settings', () => {
  it('checks required fields before saving, then shows the bridge’s field errors next to their fields', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    await page.getByRole('button', { name: 'Edit Office (VIPTel)' }).click();
    const extension = page.locator('[data-field="extension"]');
    await page.getByLabel('Extension').fill('');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(extension, 'Extension is required.');
    expect(await page.getByLabel('Extension').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-field="username"] .field-error').count()).toBe(0);
    expect(await window.calls('saveProfile')).toEqual([]);

    await window.setResponses({
      saveProfile: {
        ok: false,
        message: 'Some values are not valid.',
        fieldErrors: {
          extension: 'expected the digits of an extension',
          'dialRules.outsideLinePrefix': 'expected up to 8 digits',
        },
      },
    });
    await page.getByLabel('Extension').fill('12x');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(extension, 'expected the digits of an extension');
    expect(await extension.innerText()).not.toContain('Extension is required.');
    const problems = await waitForText(page.locator('.form-problems'), 'Some values are not valid.');
    expect(problems).toContain('Dial rules, outside line prefix: expected up to 8 digits');
    expect(await page.locator('[data-field="url"] .field-error').count()).toBe(0);
    const saved = (await window.calls('saveProfile'))[0]?.args[0] as ProfileSettingsInput;
    expect(saved.id).toBe('office');
    expect(saved.fields.extension).toBe('12x');
    // An untouched checkbox the profile never had is not sent as false (its default is main's business).
    expect(saved.fields).not.toHaveProperty('rejectUnauthorized');
    await window.screenshot('settings-errors');
    await page.getByLabel('Extension').focus();
    await window.screenshot('settings-field-error');
  });

  it('never shows secrets and sends one only when typed', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    await page.getByRole('button', { name: 'Edit Office (VIPTel)' }).click();
    const password = page.getByLabel('Password');
    await waitForText(page.locator('[data-field="password"]'), 'stored');
    expect(await password.getAttribute('type')).toBe('password');
    expect(await password.inputValue()).toBe('');

    // Saved untouched: the stored password is kept, so none is sent.
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page.locator('.settings-section').first(), 'Profile saved.');
    const first = (await window.calls('saveProfile'))[0]?.args[0] as ProfileSettingsInput;
    expect(first.secrets).toEqual({});
    expect(first.fields).toMatchObject({
      url: 'wss://pbxmanager.viptel.sk:8088',
      username: 'operator1',
      extension: '12',
    });

    await page.getByRole('button', { name: 'Edit Office (VIPTel)' }).click();
    await page.getByLabel('Password').fill('n3w-Secret!');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page.locator('.settings-section').first(), 'Profile saved.');
    const second = (await window.calls('saveProfile'))[1]?.args[0] as ProfileSettingsInput;
    expect(second.secrets).toEqual({ password: 'n3w-Secret!' });

    await page.getByRole('button', { name: 'Edit Office (VIPTel)' }).click();
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.content()).not.toContain('n3w-Secret!');
  });

  it('adds a profile with type-specific fields and an id made from its name', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByLabel('PBX type').selectOption({ label: 'innovaphone' });
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page.locator('[data-field="name"]'), 'Name is required.');
    await waitForText(page.locator('[data-field="app"]'), 'App object name is required.');
    expect(await page.locator('[data-field="password"]').innerText()).toContain('not set');

    await page.getByLabel('Name', { exact: true }).fill('Night shift');
    await page.getByLabel('PBX address').fill('wss://pbx2.example.com/PBX0/APPS/websocket');
    await page.getByLabel('App object name').fill('dialler');
    await page.getByLabel('Operator (Long Name)').fill('Night Operator');
    await page.getByLabel('App password').fill('app-pass');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page.locator('.settings-section').first(), 'Profile added.');
    const saved = (await window.calls('saveProfile'))[0]?.args[0] as ProfileSettingsInput;
    expect(saved).toEqual({
      id: 'night-shift',
      name: 'Night shift',
      type: 'innovaphone',
      fields: { url: 'wss://pbx2.example.com/PBX0/APPS/websocket', app: 'dialler', user: 'Night Operator' },
      secrets: { password: 'app-pass' },
    });
  });

  it('deletes a profile only after confirming', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    const demo = page.locator('[data-profile="demo"]');
    await demo.getByRole('button', { name: 'Delete' }).click();
    await waitForText(demo, 'Delete the profile “Demo PBX (simulated)”?');
    expect(await window.calls('deleteProfile')).toEqual([]);
    await demo.getByRole('button', { name: 'Delete profile' }).click();
    await waitForText(page.locator('.settings-section').first(), 'Deleted Demo PBX (simulated).');
    expect((await window.calls('deleteProfile')).map((call) => call.args)).toEqual([['demo']]);
    expect(
      await page.locator('[data-profile="office"]').getByRole('button', { name: 'Delete' }).count(),
    ).toBe(0);
  });

  it('gives the Patriot values to copy, copies the API key, and regenerates it only after confirming', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    expect(await page.getByLabel('WebSocketClientDiallerUrl').inputValue()).toBe(
      'wss://127.0.0.1:9009/ws/dialler/v1',
    );
    expect(await page.getByLabel('WebSocketClientDiallerConfig').inputValue()).toBe(
      '{"userName":"patriot","password":"<API key>"}',
    );
    const keySection = page.getByRole('region', { name: 'API key' });
    await waitForText(keySection, '••••••••3F9A');
    await window.screenshot('settings');
    await page.getByRole('region', { name: 'Settings to enter in Patriot' }).scrollIntoViewIfNeeded();
    await window.screenshot('settings-patriot');

    await keySection.getByRole('button', { name: 'Copy API key' }).click();
    await waitForText(keySection, 'API key copied.');
    expect(await window.calls('copyApiKey')).toHaveLength(1);

    await keySection.getByRole('button', { name: 'Regenerate…' }).click();
    await waitForText(keySection, 'Patriot will be logged out until you paste the new key');
    expect(await window.calls('regenerateApiKey')).toEqual([]);
    await keySection.getByRole('button', { name: 'Cancel' }).click();
    expect(await window.calls('regenerateApiKey')).toEqual([]);

    await window.setSettings(
      makeSettings({ patriot: { ...makeSettings().patriot, apiKeyHint: '••••••••77C1' } }),
    );
    await keySection.getByRole('button', { name: 'Regenerate…' }).click();
    await keySection.getByRole('button', { name: 'Create new key' }).click();
    await waitForText(keySection, '••••••••77C1');
    await waitForText(keySection, 'New key created.');
    expect(await window.calls('regenerateApiKey')).toHaveLength(1);
  });

  it('explains the certificate and trusts it on request', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    const cert = page.getByRole('region', { name: 'Certificate' });
    const text = await waitForText(cert, 'Not trusted yet');
    expect(text).toContain('3A:9F:12:C4');
    expect(text).toContain('refuses a certificate Windows does not trust');
    await cert.scrollIntoViewIfNeeded();
    await window.screenshot('settings-certificate');
    await window.setResponses({
      getCertificateInfo: { fingerprint256: '3A:9F', validTo: '2027-03-14', trusted: true },
    });
    await cert.getByRole('button', { name: 'Trust certificate…' }).click();
    await waitForText(cert, 'Trusted by Windows');
    expect(await window.calls('trustCertificate')).toHaveLength(1);
    expect(await cert.getByRole('button', { name: 'Trust certificate…' }).count()).toBe(0);
  });

  it('saves Patriot settings, with the bridge’s errors next to the port', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    const section = page.getByRole('form', { name: 'Patriot connection' });
    await page.getByLabel('Allowed web origins').fill('https://ica.example.com/\nhttps://ica2.example.com');
    await section.getByRole('button', { name: 'Save Patriot settings' }).click();
    await waitForText(
      section.locator('[data-field="allowedOrigins"]'),
      'Not an origin: https://ica.example.com/',
    );
    expect(await window.calls('savePatriotSettings')).toEqual([]);

    await window.setResponses({
      savePatriotSettings: {
        ok: false,
        message: 'Not saved.',
        fieldErrors: { 'listen.port': 'port 9009 is in use' },
      },
    });
    await page.getByLabel('Allowed web origins').fill('https://ica.example.com');
    await section.getByRole('button', { name: 'Save Patriot settings' }).click();
    await waitForText(section.locator('[data-field="port"]'), 'port 9009 is in use');
    expect((await window.calls('savePatriotSettings')).map((call) => call.args)).toEqual([
      [{ mode: 'server', port: 9009, allowedOrigins: ['https://ica.example.com'], connectUrl: null }],
    ]);
  });

  it("takes Patriot's own WebSocketApiKey in client mode as a secret, sent only when typed", async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    const section = page.getByRole('form', { name: 'Patriot connection' });
    await section.getByLabel('The bridge connects to Patriot').check();
    await page.getByLabel('Patriot address').fill('wss://127.0.0.1:9443/ws/dialler/v1');
    const keyField = section.locator('[data-field="connectApiKey"]');
    await waitForText(keyField, 'not set');
    await waitForText(section, 'Until it is set, the bridge presents its own API key to Patriot.');
    expect(await keyField.locator('input').getAttribute('type')).toBe('password');

    await keyField.locator('input').fill('short');
    await section.getByRole('button', { name: 'Save Patriot settings' }).click();
    await waitForText(keyField, 'at least 8 characters');
    expect(await window.calls('savePatriotSettings')).toEqual([]);

    await keyField.locator('input').fill('patriot-websocket-key');
    await section.getByRole('button', { name: 'Save Patriot settings' }).click();
    await waitForText(section, 'Patriot settings saved.');
    await section.scrollIntoViewIfNeeded();
    await window.screenshot('settings-patriot-client-key');
    const base = {
      mode: 'client',
      port: 9009,
      allowedOrigins: [],
      connectUrl: 'wss://127.0.0.1:9443/ws/dialler/v1',
    };
    expect(await keyField.locator('input').inputValue()).toBe('');
    // Saved again without typing: the key is left out (kept by main), never echoed back.
    await section.getByRole('button', { name: 'Save Patriot settings' }).click();
    await waitFor(async () => (await window.calls('savePatriotSettings')).length === 2, 'second save');
    expect((await window.calls('savePatriotSettings')).map((call) => call.args)).toEqual([
      [{ ...base, connectApiKey: 'patriot-websocket-key' }],
      [base],
    ]);
  });

  it('is read-only when IT locked the settings', async () => {
    const window = await openWindow(
      makeStubConfig({ settings: makeSettings({ lockedBy: 'your IT department' }) }),
    );
    const { page } = window;
    await openSettings(window);
    await waitForText(page.getByRole('note'), 'managed by your IT department');
    expect(await page.getByRole('button', { name: 'Add profile' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save Patriot settings' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Regenerate…' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'View Office (VIPTel)' }).click();
    expect(await page.getByLabel('Extension').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save profile' }).isDisabled()).toBe(true);
  });
});

describe('test harness', () => {
  it('notices a CSP violation when one happens', async () => {
    const window = await openWindow();
    const { page } = window;
    await waitForText(page.getByRole('region', { name: 'Current call' }), 'No call');
    // A string runs in the page as is (this file has no DOM types).
    await page.evaluate(
      `document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline style</p>')`,
    );
    openWith.allowTrouble();
    try {
      const seen = await waitFor(async () => {
        const trouble = await window.trouble();
        return trouble.some((line) => line.startsWith('CSP violation: style-src')) ? trouble : null;
      }, 'the inline style to be reported');
      // Both channels see it: the securitypolicyviolation listener and chromium's console error.
      expect(seen).toEqual([
        expect.stringMatching(/^CSP violation: style-src-attr/),
        expect.stringMatching(/^console error: .*Content Security Policy/),
      ]);
    } finally {
      await window.close();
    }
  });
});

describe('Harmony profile and diagnostic trace', () => {
  const harmonyConfig = () => {
    const base = makeSettings();
    return makeStubConfig({
      settings: makeSettings({
        profileTypes: [...base.profileTypes, profileTypeInfo('harmony')!],
        profiles: [
          ...base.profiles,
          {
            id: 'cc',
            name: 'Contact centre (Harmony)',
            type: 'harmony',
            fields: {
              url: 'tls://harmony.example.com:5070',
              agentId: 'agent7',
              extension: '2001',
              protocol: { commands: { release: 'conversation.hangup' } },
            },
            secrets: { password: { stored: true } },
          },
        ],
      }),
    });
  };

  it('edits protocol as JSON: a syntax error names its line and column, the bridge’s errors sit under it', async () => {
    const window = await openWindow(harmonyConfig());
    const { page } = window;
    await openSettings(window);
    await page.getByRole('button', { name: 'Edit Contact centre (Harmony)' }).click();
    const protocol = page.getByLabel('Wire profile (JSON, for IT)');
    expect(JSON.parse(await protocol.inputValue())).toEqual({ commands: { release: 'conversation.hangup' } });
    expect(await page.locator('[data-field="protocol"] textarea').count()).toBe(1);
    await waitForText(page.locator('[data-field="url"]'), 'tcp:// or tls:// address of the Harmony');
    await waitForText(page.locator('[data-field="password"]'), 'stored');
    expect(await page.getByLabel('Agent password').getAttribute('type')).toBe('password');

    await protocol.fill('{\n  "commands": {\n    release: "x"\n  }\n}');
    await page.getByRole('button', { name: 'Save profile' }).click();
    const field = page.locator('[data-field="protocol"]');
    await waitForText(field, 'Not valid JSON at line 3, column 5');
    expect(await protocol.getAttribute('aria-invalid')).toBe('true');
    expect(await window.calls('saveProfile')).toEqual([]);

    await window.setResponses({
      saveProfile: {
        ok: false,
        message: 'Please correct the highlighted fields.',
        fieldErrors: { 'protocol.framing.magic': 'expected 4 ASCII characters' },
      },
    });
    await protocol.fill('{"framing": {"magic": "TOOLONG"}}');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(field, 'framing.magic: expected 4 ASCII characters');
    const saved = (await window.calls('saveProfile'))[0]?.args[0] as ProfileSettingsInput;
    expect(saved.fields.protocol).toEqual({ framing: { magic: 'TOOLONG' } });
    expect(saved.secrets).toEqual({});
    await field.scrollIntoViewIfNeeded();
    await window.screenshot('settings-harmony-protocol');

    // Emptied: the default wire profile (null tells main to unset the stored overrides).
    await window.setResponses({ saveProfile: { ok: true } });
    await protocol.fill('');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await waitForText(page.locator('.settings-section').first(), 'Profile saved.');
    const second = (await window.calls('saveProfile'))[1]?.args[0] as ProfileSettingsInput;
    expect(second.fields.protocol).toBeNull();
  });

  it('saves a diagnostic trace and says where the file is', async () => {
    const window = await openWindow();
    const { page } = window;
    await openSettings(window);
    const button = page.getByRole('button', { name: 'Save diagnostic trace' });
    await button.click();
    const app = page.locator('.settings-section', { has: button });
    await waitForText(app, 'no canned trace'); // a failure is shown in words

    const file =
      'C:\\Users\\op\\AppData\\Roaming\\Dialler Bridge\\logs\\diagnostic-trace-2026-12-02T17-05-00-000Z.log';
    await window.setResponses({ saveDiagnosticTrace: { ok: true, file, lines: 1234 } });
    await button.click();
    await waitForText(app.locator('.trace-saved'), file);
    expect(await app.innerText()).not.toContain('no canned trace');
    expect((await window.calls('saveDiagnosticTrace')).map((call) => call.args)).toEqual([[], []]);
    await app.scrollIntoViewIfNeeded();
    await window.screenshot('settings-diagnostic-trace');
  });
});
