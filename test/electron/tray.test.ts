import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildTrayTemplate, type TrayActions } from '../../src/main/electron/tray/tray-template';
import { TrayController, type TrayLike } from '../../src/main/electron/tray/tray-controller';
import { trayIconState, trayTooltip, type TrayState } from '../../src/main/electron/tray/tray-state';
import { trayIconFile } from '../../src/main/electron/tray/tray-icons';
import { makeCall, makeSnapshot } from './fakes';

function recordingActions(): TrayActions & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    switchProfile: (id) => log.push(`switch:${id}`),
    retryPbx: () => log.push('retry'),
    showWindow: () => log.push('show'),
    copyApiKey: () => log.push('copy'),
    trustCertificate: () => log.push('trust'),
    setStartAtLogin: (enabled) => log.push(`login:${enabled}`),
    openLogsFolder: () => log.push('logs'),
    saveDiagnosticTrace: () => log.push('trace'),
    quit: () => log.push('quit'),
  };
}

const state = (overrides: Partial<TrayState> = {}): TrayState => ({
  snapshot: makeSnapshot(),
  startAtLogin: false,
  certificateTrusted: false,
  ...overrides,
});

const item = (template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions => {
  const found = template.find((entry) => entry.label === label);
  if (!found) throw new Error(`no menu item "${label}" in ${template.map((e) => e.label ?? '-').join(', ')}`);
  return found;
};
const click = (entry: MenuItemConstructorOptions): void => (entry.click as (() => void) | undefined)?.();

describe('tray menu', () => {
  it('offers to retry the PBX at once only while it is not online', () => {
    const online = buildTrayTemplate(state(), recordingActions());
    expect(online.some((entry) => entry.label === 'Retry PBX connection now')).toBe(false);
    const actions = recordingActions();
    const failed = makeSnapshot();
    failed.pbx = { ...failed.pbx, link: { status: 'auth-failed', reason: 'Wrong username and/or password' } };
    click(item(buildTrayTemplate(state({ snapshot: failed }), actions), 'Retry PBX connection now'));
    expect(actions.log).toEqual(['retry']);
  });

  it('shows the Patriot and PBX status lines first', () => {
    const template = buildTrayTemplate(state(), recordingActions());
    expect(template.slice(0, 2)).toEqual([
      { label: 'Patriot: 1 connected', enabled: false },
      { label: 'PBX: Office (VIPTel), online', enabled: false },
    ]);
  });

  it('lists the profiles as radio items with the active one checked', () => {
    const template = buildTrayTemplate(
      state({ snapshot: makeSnapshot({ activeProfileId: 'hq' }) }),
      recordingActions(),
    );
    const radios = template.filter((entry) => entry.type === 'radio');
    expect(radios.map((entry) => [entry.label, entry.checked])).toEqual([
      ['Office (VIPTel)', false],
      ['HQ (innovaphone)', true],
      ['Demo PBX (simulated)', false],
    ]);
  });

  it('switches the profile when another profile is clicked, and not when the active one is', () => {
    const actions = recordingActions();
    const template = buildTrayTemplate(state(), actions);
    click(item(template, 'HQ (innovaphone)'));
    click(item(template, 'Office (VIPTel)'));
    expect(actions.log).toEqual(['switch:hq']);
  });

  it('wires every command to its action', () => {
    const actions = recordingActions();
    const template = buildTrayTemplate(state({ startAtLogin: true }), actions);
    for (const label of [
      'Show window',
      'Copy API key',
      'Trust certificate…',
      'Start at login',
      'Open logs folder',
      'Save diagnostic trace',
      'Quit',
    ]) {
      click(item(template, label));
    }
    expect(actions.log).toEqual(['show', 'copy', 'trust', 'login:false', 'logs', 'trace', 'quit']);
    expect(item(template, 'Start at login')).toMatchObject({ type: 'checkbox', checked: true });
  });

  it('offers certificate trust only while the bridge serves a certificate Windows does not trust yet', () => {
    const labels = (s: TrayState) => buildTrayTemplate(s, recordingActions()).map((entry) => entry.label);
    expect(labels(state({ certificateTrusted: true }))).not.toContain('Trust certificate…');
    expect(labels(state({ certificateTrusted: null }))).toContain('Trust certificate…');
    const client = makeSnapshot();
    client.patriot = { ...client.patriot, mode: 'client', peers: [] };
    expect(labels(state({ snapshot: client }))).not.toContain('Trust certificate…');
  });

  it('shows the live call and explains a PBX that is down', () => {
    const snapshot = makeSnapshot({
      calls: [makeCall({ direction: 'inbound', phase: 'ringing', remoteNumber: '+441234' })],
      pbx: { ...makeSnapshot().pbx, link: { status: 'auth-failed', reason: 'wrong password' } },
    });
    const labels = buildTrayTemplate(state({ snapshot }), recordingActions()).map((e) => e.label);
    expect(labels).toContain('PBX: Office (VIPTel), login failed: wrong password');
    expect(labels).toContain('Incoming: +441234 (ringing)');
  });
});

describe('tray icon state', () => {
  it('follows the PBX link and the operator call', () => {
    const pbx = makeSnapshot().pbx;
    expect(trayIconState(makeSnapshot())).toBe('online');
    expect(trayIconState(makeSnapshot({ pbx: { ...pbx, link: { status: 'offline', reason: 'x' } } }))).toBe(
      'offline',
    );
    expect(trayIconState(makeSnapshot({ pbx: { ...pbx, link: { status: 'connecting', attempt: 1 } } }))).toBe(
      'offline',
    );
    expect(trayIconState(makeSnapshot({ calls: [makeCall()] }))).toBe('in-call');
    expect(trayIconState(makeSnapshot({ calls: [makeCall({ phase: 'ended' })] }))).toBe('online');
    expect(
      trayIconState(makeSnapshot({ pbx: { ...pbx, link: { status: 'auth-failed', reason: 'x' } } })),
    ).toBe('error');
  });

  it('shows the error icon and says so in the tooltip while calls are not being logged', () => {
    const broken = makeSnapshot({ callLogProblem: 'ENOSPC: no space left on device' });
    expect(trayIconState(broken)).toBe('error');
    expect(trayTooltip('Dialler Bridge', broken)).toContain('Calls are not being logged');
    expect(trayTooltip('Dialler Bridge', makeSnapshot())).not.toContain('not being logged');
  });

  it('uses the multi-size .ico on Windows and PNGs elsewhere', () => {
    expect(trayIconFile('/icons', 'in-call', 'win32')).toBe('/icons/in-call.ico');
    expect(trayIconFile('/icons', 'error', 'linux')).toBe('/icons/error.png');
  });

  it('keeps the tooltip within the 127 characters Windows shows', () => {
    const long = makeSnapshot();
    long.pbx = { ...long.pbx, profile: { ...long.pbx.profile, name: 'A'.repeat(200) } };
    expect(trayTooltip('Dialler Bridge', long).length).toBeLessThanOrEqual(127);
    expect(trayTooltip('Dialler Bridge', makeSnapshot())).toBe(
      'Dialler Bridge\nPBX: Office (VIPTel), online\nPatriot: 1 connected',
    );
  });
});

describe('TrayController', () => {
  function setup() {
    const trays: (TrayLike & { image: unknown; tooltip: string; menu: unknown; clicks: (() => void)[] })[] =
      [];
    let windowToggles = 0;
    const controller = new TrayController({
      createTray: (image) => {
        const tray = {
          image: image as unknown,
          tooltip: '',
          menu: null as unknown,
          clicks: [] as (() => void)[],
          setImage: (next: NativeImage) => void (tray.image = next),
          setToolTip: (text: string) => void (tray.tooltip = text),
          setContextMenu: (menu: unknown) => void (tray.menu = menu),
          on: (_event: 'click', listener: () => void) => tray.clicks.push(listener),
          destroy: () => undefined,
        };
        trays.push(tray);
        return tray;
      },
      icon: (iconState) => ({ iconState }) as unknown as NativeImage,
      buildMenu: (template) => ({ template }) as unknown as Electron.Menu,
      productName: 'Dialler Bridge',
      actions: recordingActions(),
      onClick: () => windowToggles++,
    });
    return { controller, trays, toggles: () => windowToggles };
  }

  it('creates one tray and redraws icon, tooltip and menu when the snapshot changes', () => {
    const { controller, trays } = setup();
    controller.update(state());
    controller.update(state({ snapshot: makeSnapshot({ calls: [makeCall()], activeProfileId: 'hq' }) }));
    expect(trays).toHaveLength(1);
    const tray = trays[0]!;
    expect(tray.image).toEqual({ iconState: 'in-call' });
    expect(tray.tooltip).toContain('Outgoing: 0123456789 (in call)');
    const template = (tray.menu as { template: MenuItemConstructorOptions[] }).template;
    expect(template.find((entry) => entry.checked && entry.type === 'radio')?.label).toBe('HQ (innovaphone)');
  });

  it('toggles the window on left click', () => {
    const { controller, trays, toggles } = setup();
    controller.update(state());
    trays[0]!.clicks.forEach((listener) => listener());
    expect(toggles()).toBe(1);
  });
});
