// Dialling from a tel: link or the clipboard hotkey: what reaches the dial path and what the user is told.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../src/main/engine/bridge/controller';
import { DesktopDial, type DesktopDialPolicy } from '../../src/main/electron/links/desktop-dial';
import { DEFAULT_DIAL_HOTKEY, DialHotkey } from '../../src/main/electron/links/dial-hotkey';
import { phoneLinksIn, registerPhoneSchemes } from '../../src/main/electron/links/phone-links';
import type { DesktopNotification } from '../../src/main/electron/notifications';
import { captureLog } from '../support/log-capture';

describe('DesktopDial', () => {
  let dialled: { number: string; source: string }[];
  let shown: DesktopNotification[];
  let clipboard: string;
  let policy: DesktopDialPolicy;
  let outcome: ActionOutcome;
  let desk: DesktopDial;

  beforeEach(() => {
    dialled = [];
    shown = [];
    clipboard = '';
    policy = { telLinks: true, hotkey: true };
    outcome = { ok: true };
    desk = new DesktopDial({
      dial: (number, source) => {
        dialled.push({ number, source });
        return Promise.resolve(outcome);
      },
      notify: (notification) => shown.push(notification),
      readClipboard: () => Promise.resolve(clipboard),
      policy: () => policy,
      log: captureLog().logger,
    });
  });
  const last = () => shown.at(-1)!;

  it('dials a tel: link through the dial path as "tel-link" and says so, extension included', async () => {
    await desk.dialLink('tel:+44-20-7946-0018;ext=12');
    expect(dialled).toEqual([{ number: '+442079460018', source: 'tel-link' }]);
    expect(last()).toMatchObject({ title: 'Dialling' });
    expect(last().body).toContain('+442079460018');
    expect(last().body).toContain('Extension 12: dial it when answered');
  });

  it('a malformed link is not dialled and the notification says why', async () => {
    await desk.dialLink('tel:1-800-FLOWERS');
    expect(dialled).toEqual([]);
    expect(last().title).toBe('Link not dialled');
    expect(last().body).toContain('contains letters');
  });

  it('links turned off by IT are refused with that reason', async () => {
    policy.telLinks = false;
    await desk.dialLink('tel:0123456789');
    expect(dialled).toEqual([]);
    expect(last().body).toBe('Dialling from tel: links is turned off by your IT department.');
  });

  it('a refusal by the dial rules shows no second "Dialling" notification (the Bridge reports it)', async () => {
    outcome = { ok: false, message: '0900123 is blocked by the dial rules (0900*)' };
    await desk.dialLink('tel:0900123');
    expect(dialled).toHaveLength(1);
    expect(shown).toEqual([]);
  });

  it('the hotkey asks first, then dials the clipboard number as "hotkey" when the notification is clicked', async () => {
    clipboard = 'Call back on 020 7946 0018 please';
    await desk.hotkeyPressed();
    expect(dialled).toEqual([]);
    expect(last().title).toBe('Dial 02079460018?');
    last().onClick!();
    await Promise.resolve();
    expect(dialled).toEqual([{ number: '02079460018', source: 'hotkey' }]);
  });

  it('pressing the hotkey again with the same number confirms it', async () => {
    clipboard = '+44 20 7946 0018';
    await desk.hotkeyPressed();
    await desk.hotkeyPressed();
    expect(dialled).toEqual([{ number: '+442079460018', source: 'hotkey' }]);
    await desk.hotkeyPressed();
    expect(dialled).toHaveLength(1);
    expect(last().title).toBe('Dial +442079460018?');
  });

  it('a new number on the clipboard asks again instead of dialling', async () => {
    clipboard = '0123456789';
    await desk.hotkeyPressed();
    clipboard = '0987654321';
    await desk.hotkeyPressed();
    expect(dialled).toEqual([]);
    expect(last().title).toBe('Dial 0987654321?');
  });

  it('a closed confirmation is forgotten: the next press asks again', async () => {
    clipboard = '0123456789';
    await desk.hotkeyPressed();
    last().onClose!();
    await desk.hotkeyPressed();
    expect(dialled).toEqual([]);
  });

  it('an empty or number-less clipboard gets a clear message', async () => {
    clipboard = 'Lunch at noon';
    await desk.hotkeyPressed();
    expect(last()).toMatchObject({
      title: 'Nothing to dial',
      body: 'The clipboard holds no phone number. Copy a number, then press the hotkey again.',
    });
  });

  it('two numbers on the clipboard are not guessed between', async () => {
    clipboard = '020 7946 0018 / fax 020 7946 0019';
    await desk.hotkeyPressed();
    expect(last().body).toContain('more than one number');
    expect(dialled).toEqual([]);
  });
});

describe('DialHotkey', () => {
  const registry = (taken: string[] = []) => {
    const held = new Map<string, () => void>();
    return {
      held,
      register: (accelerator: string, callback: () => void) => {
        if (accelerator.endsWith('+')) throw new TypeError('conversion failure');
        if (taken.includes(accelerator)) return false;
        held.set(accelerator, callback);
        return true;
      },
      unregister: (accelerator: string) => void held.delete(accelerator),
    };
  };

  it('is off by default and registers only when the user turns it on and IT allows it', () => {
    const keys = registry();
    const hotkey = new DialHotkey(keys, () => undefined, captureLog().logger);
    expect(hotkey.apply({ enabled: false, accelerator: DEFAULT_DIAL_HOTKEY }, true)).toBeNull();
    expect(keys.held.size).toBe(0);
    expect(hotkey.apply({ enabled: true, accelerator: DEFAULT_DIAL_HOTKEY }, false)).toBeNull();
    expect(keys.held.size).toBe(0);
    expect(hotkey.apply({ enabled: true, accelerator: DEFAULT_DIAL_HOTKEY }, true)).toBeNull();
    expect([...keys.held.keys()]).toEqual([DEFAULT_DIAL_HOTKEY]);
    hotkey.apply({ enabled: true, accelerator: 'Ctrl+Shift+F9' }, true);
    expect([...keys.held.keys()]).toEqual(['Ctrl+Shift+F9']);
  });

  it('pressing it runs the dial', () => {
    const keys = registry();
    let presses = 0;
    new DialHotkey(keys, () => presses++, captureLog().logger).apply(
      { enabled: true, accelerator: 'Ctrl+Alt+D' },
      true,
    );
    keys.held.get('Ctrl+Alt+D')!();
    expect(presses).toBe(1);
  });

  it('reports keys another app already holds, and malformed ones', () => {
    const hotkey = new DialHotkey(registry(['Ctrl+Alt+D']), () => undefined, captureLog().logger);
    expect(hotkey.apply({ enabled: true, accelerator: 'Ctrl+Alt+D' }, true)).toBe(
      'The dial hotkey Ctrl+Alt+D is already used by another app; choose another one in the settings.',
    );
    expect(hotkey.active).toBeNull();
    expect(hotkey.apply({ enabled: true, accelerator: 'Ctrl+' }, true)).toContain(
      'not a valid key combination',
    );
  });
});

describe('tel:/callto: registration and argv', () => {
  const fakeApp = (accepts = true) => {
    const registered = new Set<string>();
    return {
      registered,
      isPackaged: true,
      setAsDefaultProtocolClient: (scheme: string) => (accepts ? (registered.add(scheme), true) : false),
      removeAsDefaultProtocolClient: (scheme: string) => registered.delete(scheme),
      isDefaultProtocolClient: (scheme: string) => registered.has(scheme),
    };
  };

  it('finds the links Windows passes to a second instance', () => {
    expect(phoneLinksIn(['Dialler Bridge.exe', '--hidden', 'tel:+44-20-7946-0018', 'CALLTO://0123'])).toEqual(
      ['tel:+44-20-7946-0018', 'CALLTO://0123'],
    );
    expect(phoneLinksIn(['Dialler Bridge.exe', 'C:\\tel:x'])).toEqual([]);
  });

  it('registers tel: and callto: for the user, and removes them when IT turns links off', () => {
    const app = fakeApp();
    expect(registerPhoneSchemes(app, true, captureLog().logger)).toBeNull();
    expect([...app.registered]).toEqual(['tel', 'callto']);
    registerPhoneSchemes(app, false, captureLog().logger);
    expect(app.registered.size).toBe(0);
  });

  it('says so when Windows refuses the registration', () => {
    expect(registerPhoneSchemes(fakeApp(false), true, captureLog().logger)).toContain(
      'did not register Dialler Bridge for tel: and callto: links',
    );
  });

  it('leaves the registry alone in development', () => {
    const app = { ...fakeApp(), isPackaged: false };
    registerPhoneSchemes(app, true, captureLog().logger);
    expect(app.registered.size).toBe(0);
  });
});
