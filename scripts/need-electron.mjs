// `npm start` runs this first: one clear line, instead of Electron's raw error, when Electron's binary is missing
// (its postinstall download needs network access to Electron's releases; Windows is the supported desktop).
// Checks the file Electron's installer writes; never requires 'electron', which would try the download itself.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const electronDir = path.resolve(import.meta.dirname, '../node_modules/electron');
const pathFile = path.join(electronDir, 'path.txt');
const binary = existsSync(pathFile) && path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
if (!binary || !existsSync(binary)) {
  console.error(
    'dialler-bridge: Electron is not installed: the desktop app needs Windows (or network access to ' +
      "Electron's download during npm ci); the headless bridge runs without it: npm run bridge -- --config file.json",
  );
  process.exit(1);
}
