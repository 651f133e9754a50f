// Electron main process entry (bundled to out/main/electron.mjs): the desktop app with the real engine.
import { app } from 'electron';
import { createBridge } from '../engine/bridge/create-bridge';
import { defaultDataDir } from '../engine/config/load';
import { loadOrCreateApiKey, regenerateApiKey } from '../engine/patriot/api-keys';
import { runDesktopApp } from './desktop-app';
import { machineConfigPath } from './settings/machine-settings';

const desktop = runDesktopApp({
  createBridge,
  engineApiKey: { loadOrCreate: loadOrCreateApiKey, regenerate: regenerateApiKey },
  machineConfigFile: machineConfigPath(),
  dataDir: defaultDataDir(),
  argv: process.argv,
  consoleLog: !app.isPackaged,
});
if (desktop) {
  process.on('unhandledRejection', (error) => desktop.log.error('unhandled rejection', { error }));
}
