// Finds a Chromium-family browser for the renderer tests, the way a developer expects, and never downloads one:
// CHROMIUM_PATH, then the system's browsers, then the headless Chromium that @sparticuz/chromium ships in its
// npm tarball (Linux x64; it declares node >=22 in engines but decompresses and runs on Node 20 as well).
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface FoundBrowser {
  executablePath: string;
  /** Where it came from, for error messages and the test log. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

export interface FindBrowserOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Overrides the system paths (tests use it to prove the packaged fallback works). */
  systemPaths?: string[];
  /** Overrides the packaged fallback; null disables it. */
  packaged?: (() => Promise<string>) | null;
}

/** The usual install locations of Chromium, Chrome and (on Windows) Edge. */
export function systemBrowserPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (dir): dir is string => Boolean(dir),
    );
    return roots.flatMap((dir) => [
      path.win32.join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(dir, 'Chromium', 'Application', 'chrome.exe'),
      path.win32.join(dir, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ];
}

/** @sparticuz/chromium's browser, decompressed from the package into the temp folder (no network). */
export async function packagedChromium(): Promise<string> {
  const { default: chromium } = await import('@sparticuz/chromium');
  return chromium.executablePath();
}

export async function findBrowser(options: FindBrowserOptions = {}): Promise<FoundBrowser> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist`);
    return { executablePath: explicit, source: 'CHROMIUM_PATH' };
  }
  // BROWSER_SYSTEM_PATHS (path-delimited, empty = none) replaces the list, e.g. to run the suite as on a
  // machine with no system browser: BROWSER_SYSTEM_PATHS= npx vitest run test/renderer
  const fromEnv = env.BROWSER_SYSTEM_PATHS?.split(path.delimiter).filter(Boolean);
  const candidates = options.systemPaths ?? fromEnv ?? systemBrowserPaths(platform, env);
  const system = candidates.find((file) => existsSync(file));
  if (system) return { executablePath: system, source: 'system' };
  const packaged = options.packaged === undefined ? packagedChromium : options.packaged;
  if (packaged && platform === 'linux' && process.arch === 'x64') {
    return { executablePath: await packaged(), source: '@sparticuz/chromium' };
  }
  throw new Error('no Chromium-family browser found: set CHROMIUM_PATH, or install Chromium, Chrome or Edge');
}
