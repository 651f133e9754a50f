// Electron main process entry (bundled to out/main/electron.mjs): the desktop app with the real engine.
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import { createBridge } from '../engine/bridge/create-bridge';
import { defaultDataDir } from '../engine/config/load';
import { loadOrCreateApiKey, regenerateApiKey } from '../engine/patriot/api-keys';
import path from 'node:path';
import { execFileRunner, systemCertutil } from './certificate-trust';
import { runDesktopApp } from './desktop-app';
import { machineTrustFile, trustMachineCertificate } from './machine-trust';
import { machineConfigPath } from './settings/machine-settings';

const trustFile = machineTrustFile(process.argv);
if (trustFile !== null) {
  // Run by the per-machine installer (elevated): check and trust IT's certificate, print why, exit.
  const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
  void trustMachineCertificate(trustFile, {
    run: execFileRunner,
    powershell: path.win32.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe'),
    certutil: systemCertutil(),
    out: (line) => process.stdout.write(`${line}\n`),
  }).then((code) => app.exit(code));
}

const desktop =
  trustFile !== null
    ? null
    : runDesktopApp({
        createBridge,
        engineApiKey: { loadOrCreate: loadOrCreateApiKey, regenerate: regenerateApiKey },
        machineConfigFile: machineConfigPath(),
        dataDir: defaultDataDir(),
        argv: process.argv,
        consoleLog: !app.isPackaged,
        createUpdater: () => electronUpdater.autoUpdater,
      });
if (desktop) {
  process.on('unhandledRejection', (error) => desktop.log.error('unhandled rejection', { error }));
}
