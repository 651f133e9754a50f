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
    msi: Record<string, unknown>;
    protocols: { name: string; schemes: string[] }[];
    extraResources: { from: string; to: string }[];
    win: { icon: string; target: { target: string; arch: string[] }[] };
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

  it('builds an MSI beside the NSIS installer, per machine, for GPO/Intune', () => {
    expect(config.win.target.map((target) => target.target)).toEqual(['nsis', 'msi']);
    expect(config.msi).toMatchObject({ perMachine: true, oneClick: true, runAfterFinish: false });
  });

  it('reports a misspelt MSI key readably', async () => {
    const misspelt = readFileSync(builderFile, 'utf8').replace('  perMachine: true', '  perMachines: true');
    const file = path.join(dir, 'electron-builder.yml');
    await writeFile(file, misspelt);
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(result.output).toContain('/msi: unknown property "perMachines"');
  });

  it('registers tel: and callto: for every user only in a per-machine install, and removes them again', () => {
    expect(config.protocols).toEqual([{ name: 'Phone number', schemes: ['tel', 'callto'] }]);
    const nsh = readFileSync(path.join(root, 'build', 'installer.nsh'), 'utf8');
    const install = nsh.slice(nsh.indexOf('!macro customInstall'), nsh.indexOf('!macro customUnInstall'));
    const uninstall = nsh.slice(nsh.indexOf('!macro customUnInstall'));
    expect(install.indexOf('$installMode == "all"')).toBeLessThan(install.indexOf('diallerRegisterScheme'));
    expect(install).toContain('!insertmacro diallerRegisterScheme "tel"');
    expect(install).toContain('!insertmacro diallerRegisterScheme "callto"');
    expect(install).toContain('"Software\\RegisteredApplications" "Dialler Bridge"');
    expect(uninstall).toContain('!insertmacro diallerUnregisterScheme "tel"');
    expect(uninstall).toContain('DeleteRegKey HKLM "Software\\Classes\\DiallerBridge.PhoneLink"');
    // Only HKLM: per-user registration is the app's (HKCU), so the installer never writes there.
    expect(nsh).not.toMatch(/WriteRegStr HKCU/);
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
