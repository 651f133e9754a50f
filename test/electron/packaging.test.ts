import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../src/main/electron/app-identity';
import { TRAY_ICON_STATES } from '../../src/main/electron/tray/tray-state';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const root = process.cwd();
const builderFile = path.join(root, 'electron-builder.yml');

async function validate(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/validate-builder-config.mjs', file], {
      cwd: root,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** Sizes of the images in an .ico file. */
function icoSizes(file: string): number[] {
  const data = readFileSync(file);
  const count = data.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => data[6 + 16 * i] || 256);
}

describe('electron-builder.yml', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir('dialler-builder-')));
  afterEach(() => cleanup());

  it('matches electron-builder’s own schema', async () => {
    const result = await validate(builderFile);
    expect(result.output).toContain('valid electron-builder configuration');
    expect(result.code).toBe(0);
  });

  it('reports a misspelt key readably', async () => {
    const misspelt = readFileSync(builderFile, 'utf8').replace('  perMachine: false', '  perMachin: false');
    const file = path.join(dir, 'electron-builder.yml');
    await writeFile(file, misspelt);
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(result.output).toContain('/nsis: unknown property "perMachin"');
  });

  const config = load(readFileSync(builderFile, 'utf8')) as {
    appId: string;
    productName: string;
    electronFuses: Record<string, boolean>;
    nsis: Record<string, unknown>;
    extraResources: { from: string; to: string }[];
    win: { icon: string };
  };

  it('keeps the app identity the main process uses', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('builds an assisted installer that IT can run silently per machine', () => {
    expect(config.nsis).toMatchObject({
      oneClick: false,
      allowElevation: true,
      include: 'build/installer.nsh',
    });
    expect(existsSync(path.join(root, 'build', 'installer.nsh'))).toBe(true);
    const nsh = readFileSync(path.join(root, 'build', 'installer.nsh'), 'utf8');
    expect(nsh).toMatch(/!macro customInstall/);
    // The planted certificate goes through the app's checks (machine-trust.ts), never straight to certutil.
    expect(nsh).toContain('--trust-machine-certificate');
    expect(nsh).not.toMatch(/certutil\.exe"? -f -addstore/);
  });

  it('ships a tray icon for every state the tray can show', () => {
    const trayDir = config.extraResources.find((resource) => resource.to === 'tray')!.from;
    for (const state of TRAY_ICON_STATES) {
      expect(icoSizes(path.join(root, trayDir, `${state}.ico`))).toEqual([16, 32, 48, 256]);
      expect(existsSync(path.join(root, trayDir, `${state}.png`))).toBe(true);
      expect(existsSync(path.join(root, trayDir, `${state}@2x.png`))).toBe(true);
    }
    expect(icoSizes(path.join(root, config.win.icon))).toContain(256);
  });
});
