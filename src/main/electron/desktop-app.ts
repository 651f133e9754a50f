// The desktop app: wires the engine, settings, window, tray, IPC and notifications together.
// Everything with logic lives in the small modules imported here; this file only connects them.
// main.ts calls it with the real engine; tests call it with fakes (and the electron stub).
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
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
import { levelFilter, rotatingFileSink } from './log-file';
import { NoticeNotifier, type DesktopNotification } from './notifications';
import type { RunConfig } from './settings/bridge-config';
import { MachineSettings } from './settings/machine-settings';
import { SecretBox } from './settings/secret-box';
import { openSettingsFile } from './settings/settings-file';
import type { ApiKeyFile, SettingsSource } from './settings/settings-source';
import { UserSettings } from './settings/user-settings';
import { TrayController } from './tray/tray-controller';
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
  const sinks: LogSink[] = [levelFilter(rotatingFileSink({ dir: logsDir }), () => logLevel)];
  if (options.consoleLog) sinks.push(levelFilter(streamSink(process.stdout), () => logLevel));
  const log = createLogger({ level: 'debug', sinks }).child({ component: 'desktop' });

  let mainWindow: BrowserWindow | null = null;
  let stopDesktop: () => Promise<void> = () => Promise.resolve();
  const show = (): void => {
    if (mainWindow && !mainWindow.isDestroyed()) showWindow(mainWindow);
  };

  if (!claimSingleInstance(app, show)) return null;
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
        isQuitting: () => quit.quitting,
        setLogLevel: (level) => (logLevel = level),
        setWindow: (window) => (mainWindow = window),
        setStop: (stop) => (stopDesktop = stop),
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
  isQuitting(): boolean;
  setLogLevel(level: LogLevel): void;
  setWindow(window: BrowserWindow): void;
  setStop(stop: () => Promise<void>): void;
  show(): void;
}

function openSettings(options: DesktopOptions, log: Logger, problems: string[]): SettingsSource {
  const { engineApiKey, machineConfigFile } = options;
  if (existsSync(machineConfigFile)) {
    log.info('using the machine-wide config; settings are locked', { file: machineConfigFile });
    return new MachineSettings({ file: machineConfigFile, engineApiKey, log });
  }
  const opened = openSettingsFile(app.getPath('userData'));
  if (opened.problem) problems.push(opened.problem);
  return new UserSettings({
    file: opened.file,
    secrets: new SecretBox(safeStorage),
    dataDir: options.dataDir,
    engineApiKey,
    log,
  });
}

async function start(context: StartContext): Promise<void> {
  const { options, log, logsDir, show } = context;
  const problems: string[] = [];
  const settings = openSettings(options, log, problems);
  let loaded;
  try {
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
    notification.on('click', show);
    notification.on('close', () => live.delete(notification));
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
    log,
    onDesktopStateChange: () => refreshTray(),
    reportProblems,
  });
  registerInvokeHandlers({ ipcMain, senders, api: service, log });

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
      openLogsFolder: () => void service.openLogsFolder().then(reportFailure('Logs folder')),
      quit: () => app.quit(),
    },
  });
  const refreshTray = (): void =>
    tray.update({
      snapshot: bridge.snapshot(),
      startAtLogin: service.startAtLogin,
      certificateTrusted: service.trusted,
    });

  bridge.subscribe({
    snapshot: (snapshot) => {
      pushSnapshot([window.webContents], snapshot);
      refreshTray();
    },
    notice: publishNotice,
  });
  context.setStop(async () => {
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
  refreshTray();
  if (!options.argv.includes(HIDDEN_ARG)) show();
  service.getCertificateInfo().catch((error: unknown) => log.warn('certificate check failed', { error }));
}
