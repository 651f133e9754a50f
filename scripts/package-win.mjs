// `npm run package:win`: builds the bundles and runs electron-builder for Windows. electron-builder needs
// Electron's Windows build (downloaded from GitHub unless cached) and, off Windows, wine for the installer;
// where either is missing it fails with pages of output. This prints one line saying what is needed and
// keeps the full output in out/package-win.log for whoever has to dig.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const log = path.join(root, 'out', 'package-win.log');
// Tests point this at a stand-in; by default the real builder after the real bundle build.
const steps = process.env.DIALLER_PACKAGE_STEPS
  ? JSON.parse(process.env.DIALLER_PACKAGE_STEPS)
  : [
      ['node', 'scripts/build.mjs', 'main', 'preload', 'renderer'],
      ['npx', '--no-install', 'electron-builder', '--win', '--publish', 'never'],
    ];

mkdirSync(path.dirname(log), { recursive: true });
let output = '';
for (const [command, ...args] of steps) {
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  output += `$ ${[command, ...args].join(' ')}\n${run.stdout ?? ''}${run.stderr ?? ''}\n`;
  if (run.status !== 0) {
    writeFileSync(log, output);
    console.error(
      `dialler-bridge: packaging failed at "${[command, ...args].join(' ')}": the Windows installer needs Windows ` +
        "(or wine) and network access to Electron's download (or its cache); full output in " +
        path.relative(root, log),
    );
    process.exit(1);
  }
}
writeFileSync(log, output);
console.log('dialler-bridge: installer written to dist/');
