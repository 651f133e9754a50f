// The desktop app: wires the engine, settings, window, tray, IPC and notifications together.
// Everything with logic lives in the small modules imported here; this file only connects them.
// main.ts calls it with the real engine; tests call it with fakes (and the electron stub).
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  shell,
  Tray,
  type WebContents,
} from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { BridgeNotice } from '../../shared/bridge-types';
import type { ActionResult } from '../../shared/ipc-contract';
import type { BridgeController } from '../engine/bridge/controller';
import { ConfigError } from '../engine/config/load';
import { createLogger, streamSink, type Logger, type LogLevel, type LogSink } from '../engine/log/logger';
import { APP_ID, HIDDEN_ARG, PRODUCT_NAME } from './app-identity';
import { CertificateTrust, execFileRunner, systemCertutil } from './certificate-trust';
import { DiallerService } from './dialler-service';
import { pushNotice, pushSiteCheckProgress, pushSnapshot, registerInvokeHandlers } from './ipc/register-ipc';
import { SiteCheckService } from './site-check-service';
import { TrustedSenders } from './ipc/trusted-senders';
import { claimSingleInstance, installGracefulQuit } from './lifecycle';
import { diagnosticTrace, type DiagnosticTrace } from './diagnostic-trace';
import { DesktopDial } from './links/desktop-dial';
import { DialHotkey } from './links/dial-hotkey';
import { phoneLinksIn, registerPhoneSchemes } from './links/phone-links';
import { levelFilter, rotatingFileSink } from './log-file';
import { NoticeNotifier, type DesktopNotification } from './notifications';
import type { RunConfig } from './settings/bridge-config';
import { DesktopPreferences } from './settings/desktop-preferences';
import { DEFAULT_POLICY, readMachineFile, type MachinePolicy } from './settings/machine-policy';
import { MachineSettings } from './settings/machine-settings';
import { SecretBox } from './settings/secret-box';
import { openSettingsFile } from './settings/settings-file';
import type { ApiKeyFile, SettingsSource } from './settings/settings-source';
import { UserSettings } from './settings/user-settings';
import { TrayController } from './tray/tray-controller';
import { liveCall } from './tray/tray-state';
import { UpdateManager, type UpdaterPort } from './updates/update-manager';
import { trayIconFile } from './tray/tray-icons';
import { appPaths, createMainWindow, hideOnClose, showWindow, toggleWindow } from './window';
import { hardenWebContents, type HardenableContents } from './web-contents-hardening';

export interface DesktopOptions {
  createBridge(config: RunConfig, deps: { log: Logger }): BridgeController;
  engineApiKey: ApiKeyFile;
  /** IT's machine-wide config; when the file exists it is the config and settings are locked. */
  machineConfigFile: string;
  /** The engine's data folder (certificate, call log). */
  dataDir: string;
  argv: readonly string[];
  /** Also log to stdout (development). */
  consoleLog: boolean;
  /** electron-updater's autoUpdater (main.ts); absent in tests that are not about updates. */
  createUpdater?: () => UpdaterPort;
}

export interface DesktopApp {
  /** Settles when startup has finished (or failed and asked to exit). */
  ready: Promise<void>;
  log: Logger;
}

/** Returns null when another instance is already running (this one is quitting). */
export function runDesktopApp(options: DesktopOptions): DesktopApp | null {
  let logLevel: LogLevel = 'info';
  const logsDir = app.getPath('logs');
  const trace = diagnosticTrace();
  const sinks: LogSink[] = [levelFilter(rotatingFileSink({ dir: logsDir }), () => logLevel), trace.sink];
  if (options.consoleLog) sinks.push(levelFilter(streamSink(process.stdout), () => logLevel));
  const log = createLogger({ level: 'debug', sinks }).child({ component: 'desktop' });

  let mainWindow: BrowserWindow | null = null;
  let stopDesktop: () => Promise<void> = () => Promise.resolve();
  const show = (): void => {
    if (mainWindow && !mainWindow.isDestroyed()) showWindow(mainWindow);
  };

  // tel:/callto: links can arrive before the bridge runs (the launch itself, macOS open-url): held until then.
  const earlyLinks: string[] = [];
  let dialLink = (uri: string): void => void earlyLinks.push(uri);
  const secondLaunch = (argv: readonly string[]): void => {
    const links = phoneLinksIn(argv);
    if (links.length === 0) show();
    for (const link of links) dialLink(link);
  };
  if (!claimSingleInstance(app, secondLaunch)) return null;
  app.on('open-url', (event, url) => {
    event.preventDefault();
    dialLink(url);
  });
  earlyLinks.push(...phoneLinksIn(options.argv));
  app.setAppUserModelId(APP_ID);
  const quit = installGracefulQuit(app, () => stopDesktop(), log);
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents as unknown as HardenableContents, {
      openExternal: (url) => shell.openExternal(url),
      log,
    }),
  );

  const ready = app
    .whenReady()
    .then(() =>
      start({
        options,
        log,
        logsDir,
        trace,
        isQuitting: () => quit.quitting,
        setLogLevel: (level) => (logLevel = level),
        setWindow: (window) => (mainWindow = window),
        setStop: (stop) => (stopDesktop = stop),
        setLinkDialer: (dial) => {
          dialLink = dial;
          for (const link of earlyLinks.splice(0)) dial(link);
        },
        show,
      }),
    )
    .catch((error: unknown) => {
      log.error('the desktop app could not start', { error });
      dialog.showErrorBox(`${PRODUCT_NAME} could not start`, (error as Error).message);
      app.exit(1);
    });
  return { ready, log };
}

interface StartContext {
  options: DesktopOptions;
  log: Logger;
  logsDir: string;
  trace: DiagnosticTrace;
  isQuitting(): boolean;
  setLogLevel(level: LogLevel): void;
  setWindow(window: BrowserWindow): void;
  setStop(stop: () => Promise<void>): void;
  setLinkDialer(dial: (uri: string) => void): void;
  show(): void;
}

interface OpenedSettings {
  settings: SettingsSource;
  policy: MachinePolicy;
}

/** IT's file (policy, and the settings unless the policy lets the user keep their own), else the user's. */
async function openSettings(
  options: DesktopOptions,
  log: Logger,
  problems: string[],
): Promise<OpenedSettings> {
  const { engineApiKey, machineConfigFile } = options;
  let policy = DEFAULT_POLICY;
  if (existsSync(machineConfigFile)) {
    ({ policy } = await readMachineFile(machineConfigFile));
    log.info('machine policy', { file: machineConfigFile, policy });
    if (!policy.userMayEditSettings) {
      log.info('using the machine-wide config; settings are locked', { file: machineConfigFile });
      return { settings: new MachineSettings({ file: machineConfigFile, engineApiKey, log }), policy };
    }
  }
  const opened = openSettingsFile(app.getPath('userData'));
  if (opened.problem) problems.push(opened.problem);
  const settings = new UserSettings({
    file: opened.file,
    secrets: new SecretBox(safeStorage),
    dataDir: options.dataDir,
    engineApiKey,
    log,
  });
  return { settings, policy };
}

async function start(context: StartContext): Promise<void> {
  const { options, log, logsDir, show } = context;
  const problems: string[] = [];
  let settings: SettingsSource;
  let policy: MachinePolicy;
  let loaded;
  try {
    ({ settings, policy } = await openSettings(options, log, problems));
    loaded = await settings.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    dialog.showErrorBox(`${PRODUCT_NAME}: the machine-wide configuration is invalid`, error.message);
    app.exit(1);
    return;
  }
  context.setLogLevel(loaded.config.logLevel);
  problems.push(...loaded.problems);
  const bridge = options.createBridge(loaded.config, { log });

  const paths = appPaths(app.getAppPath());
  const iconDir = app.isPackaged
    ? path.join(process.resourcesPath, 'tray')
    : path.join(app.getAppPath(), 'assets', 'tray');
  const window = createMainWindow({
    preload: paths.preload,
    icon: trayIconFile(iconDir, 'online', process.platform),
    devTools: !app.isPackaged,
  });
  context.setWindow(window);
  const senders = new TrustedSenders({
    windowOf: (sender) => BrowserWindow.fromWebContents(sender as WebContents),
    rendererFile: paths.rendererIndex,
  });
  senders.trust(window);
  hideOnClose(window, context.isQuitting);

  // Notifications: kept referenced until closed (Windows drops click handlers of collected ones).
  const live = new Set<Notification>();
  const toast = (content: DesktopNotification): void => {
    const notification = new Notification({
      title: content.title,
      body: content.body,
      silent: content.silent,
    });
    live.add(notification);
    notification.on('click', content.onClick ?? show);
    notification.on('close', () => {
      live.delete(notification);
      content.onClose?.();
    });
    notification.show();
  };
  const notifier = new NoticeNotifier({ show: toast, now: Date.now });
  let rendererLoaded = false;
  const pending: BridgeNotice[] = [];
  const publishNotice = (notice: BridgeNotice): void => {
    if (rendererLoaded) pushNotice([window.webContents], notice);
    else pending.push(notice);
    notifier.handle(notice);
  };
  const reportProblems = (messages: string[]): void => {
    for (const message of messages)
      publishNotice({ at: Date.now(), level: 'warning', kind: 'config', message });
  };
  window.webContents.on('did-finish-load', () => {
    rendererLoaded = true;
    for (const notice of pending.splice(0)) pushNotice([window.webContents], notice);
  });

  const certificates = new CertificateTrust({
    run: execFileRunner,
    platform: process.platform,
    certutil: systemCertutil(),
    log,
  });
  const siteCheck = new SiteCheckService({
    bridge,
    certificates,
    settings,
    clipboard,
    logsDir,
    about: [`${PRODUCT_NAME} ${app.getVersion()} on ${os.hostname()} (${process.platform} ${os.release()})`],
    log,
    progress: (steps) => pushSiteCheckProgress([window.webContents], steps),
  });
  const service = new DiallerService({
    bridge,
    settings,
    certificates,
    siteCheck,
    clipboard,
    loginItem: {
      get: () => app.getLoginItemSettings().openAtLogin,
      set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] }),
    },
    openPath: (target) => shell.openPath(target),
    logsDir,
    saveTrace: (dir) => context.trace.save(dir, new Date()),
    log,
    onDesktopStateChange: () => refreshTray(),
    reportProblems,
  });
  registerInvokeHandlers({ ipcMain, senders, api: service, log });

  const desktopDial = new DesktopDial({
    dial: (number, source) => bridge.dial(number, source),
    notify: toast,
    readClipboard: () => clipboard.readText(),
    policy: () => ({ telLinks: policy.telLinks, hotkey: policy.dialHotkey }),
    log,
  });
  const preferences = new DesktopPreferences(app.getPath('userData'));
  if (preferences.problem) problems.push(preferences.problem);
  const hotkey = new DialHotkey(globalShortcut, () => void desktopDial.hotkeyPressed(), log);
  const applyHotkey = (): void => {
    const problem = hotkey.apply(preferences.dialHotkey, policy.dialHotkey);
    if (problem) reportProblems([problem]);
  };

  const reportFailure = (title: string) => (result: ActionResult) => {
    if (!result.ok) toast({ title, body: result.message, silent: true });
  };
  const tray = new TrayController({
    createTray: (image) => new Tray(image),
    icon: (state) => nativeImage.createFromPath(trayIconFile(iconDir, state, process.platform)),
    buildMenu: (template) => Menu.buildFromTemplate(template),
    productName: PRODUCT_NAME,
    onClick: () => toggleWindow(window),
    actions: {
      switchProfile: (id) => void service.switchProfile(id).then(reportFailure('Profile not switched')),
      retryPbx: () => void service.retryPbx().then(reportFailure('PBX not retried')),
      showWindow: show,
      copyApiKey: () =>
        void service.copyApiKey().then((result) => {
          if (result.ok)
            toast({
              title: 'API key copied',
              body: 'Paste it into Patriot’s dialler settings.',
              silent: true,
            });
          else reportFailure('API key not copied')(result);
        }),
      trustCertificate: () => {
        show();
        void service.trustCertificate().then(reportFailure('Certificate not trusted'));
      },
      setStartAtLogin: (enabled) => void service.setStartAtLogin(enabled),
      setDialHotkey: (enabled) => {
        preferences.setDialHotkey({ ...preferences.dialHotkey, enabled });
        applyHotkey();
        refreshTray();
      },
      openLogsFolder: () => void service.openLogsFolder().then(reportFailure('Logs folder')),
      saveDiagnosticTrace: () =>
        void service.saveDiagnosticTrace().then((result) => {
          if (result.ok) toast({ title: 'Diagnostic trace saved', body: result.file, silent: true });
          else reportFailure('Diagnostic trace not saved')(result);
        }),
      quit: () => app.quit(),
    },
  });
  const refreshTray = (): void =>
    tray.update({
      snapshot: bridge.snapshot(),
      startAtLogin: service.startAtLogin,
      certificateTrusted: service.trusted,
      // Ticked only while registered: keys another app holds leave it unticked, a click retries.
      ...(policy.dialHotkey
        ? { dialHotkey: { accelerator: preferences.dialHotkey.accelerator, enabled: hotkey.active !== null } }
        : {}),
    });

  // electron-updater is not even created unless IT's policy names a feed.
  const updates =
    options.createUpdater && policy.updates !== 'off'
      ? new UpdateManager({
          updater: options.createUpdater(),
          policy: policy.updates,
          callLive: () => liveCall(bridge.snapshot()) !== null,
          notify: toast,
          schedule: (run, ms) => {
            // unref: a pending check never keeps a quitting app alive.
            const timer = setTimeout(run, ms).unref();
            return () => clearTimeout(timer);
          },
          log,
        })
      : null;

  bridge.subscribe({
    snapshot: (snapshot) => {
      pushSnapshot([window.webContents], snapshot);
      refreshTray();
      updates?.callStateChanged();
    },
    notice: publishNotice,
  });
  context.setStop(async () => {
    hotkey.release();
    updates?.stop();
    tray.destroy();
    await bridge.stop();
  });

  reportProblems(problems);
  refreshTray();
  await window.loadFile(paths.rendererIndex);
  try {
    await bridge.start();
  } catch (error) {
    log.error('the bridge could not start', { error });
    publishNotice({
      at: Date.now(),
      level: 'error',
      kind: 'other',
      message: `The bridge could not start: ${(error as Error).message}`,
    });
  }
  applyHotkey();
  const schemeProblem = registerPhoneSchemes(app, policy.telLinks, log);
  if (schemeProblem) reportProblems([schemeProblem]);
  refreshTray();
  // Launched by a clicked link: dial it, without opening the window.
  if (!options.argv.includes(HIDDEN_ARG) && phoneLinksIn(options.argv).length === 0) show();
  context.setLinkDialer((uri) => void desktopDial.dialLink(uri));
  updates?.start();
  service.getCertificateInfo().catch((error: unknown) => log.warn('certificate check failed', { error }));
}
