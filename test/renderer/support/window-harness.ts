// Drives the built renderer in a Chromium-family browser with the DiallerApi stub in place of the preload.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { BridgeNotice, BridgeSnapshot, CallLogEntry } from '../../../src/shared/bridge-types';
import type { SettingsView } from '../../../src/shared/ipc-contract';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { waitFor } from '../../support/wait';
import { findBrowser, type FindBrowserOptions } from './find-browser';
import { T0 } from './sample-data';
import type { ApiMethod, StubCall, StubConfig, StubGlobal, StubResponses } from './stub-protocol';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** Debian's chromium; kept for callers of the old harness (the finder looks here among other places). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(root, 'test-artifacts', 'screenshots');
const WINDOW_SIZE = { width: 380, height: 560 };

/** Builds out/renderer with the project's own build script, as the app ships it. */
export async function buildRenderer(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build.mjs'), 'renderer'], {
    cwd: root,
  });
}

/** The stub compiled for the browser; it defines `__installDiallerStub(config)`. */
export async function bundleStub(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'test/renderer/fixtures/dialler-stub.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no stub bundle');
  return output.text;
}

/** A system or npm-packaged Chromium (see find-browser.ts), never a downloaded browser. */
export async function launchChromium(options: FindBrowserOptions = {}): Promise<Browser> {
  const browser = await findBrowser(options);
  return chromium.launch({
    executablePath: browser.executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

// page.evaluate callbacks run in the browser: they reach the stub through globalThis, typed by a cast only.

/** One window under test: the page, the stub's controls, and what went wrong in it. */
export class WindowUnderTest {
  private readonly problems: string[] = [];

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
  }

  /**
   * Opens the built window at 380×560 (or `display`) with the stub installed and the clock faked from T0
   * (flowing). `deviceScaleFactor: 1.5` is Windows' 150 % scaling.
   */
  static async open(
    browser: Browser,
    stubSource: string,
    config: StubConfig,
    display: { width?: number; height?: number; deviceScaleFactor?: number } = {},
  ): Promise<WindowUnderTest> {
    const { deviceScaleFactor = 1, ...size } = display;
    const context = await browser.newContext({
      viewport: { ...WINDOW_SIZE, ...size },
      deviceScaleFactor,
      locale: 'en-GB',
      timezoneId: 'UTC',
      colorScheme: 'light',
    });
    const page = await context.newPage();
    const window = new WindowUnderTest(context, page);
    await page.clock.install({ time: T0 });
    await page.addInitScript({ content: `${stubSource}\n;__installDiallerStub(${JSON.stringify(config)});` });
    await page.goto(pathToFileURL(path.join(root, 'out/renderer/index.html')).href);
    return window;
  }

  /** Calls the window made to DiallerApi, optionally of one method. */
  async calls(method?: ApiMethod): Promise<StubCall[]> {
    const calls = await this.page.evaluate(() => (globalThis as unknown as StubGlobal).__test.calls);
    return method ? calls.filter((call) => call.method === method) : calls;
  }

  async pushSnapshot(snapshot: BridgeSnapshot): Promise<void> {
    await this.page.evaluate(
      (next) => (globalThis as unknown as StubGlobal).__test.pushSnapshot(next),
      snapshot,
    );
  }

  async pushNotice(notice: BridgeNotice): Promise<void> {
    await this.page.evaluate((next) => (globalThis as unknown as StubGlobal).__test.pushNotice(next), notice);
  }

  async setRecentCalls(entries: CallLogEntry[]): Promise<void> {
    await this.page.evaluate(
      (next) => (globalThis as unknown as StubGlobal).__test.setRecentCalls(next),
      entries,
    );
  }

  async setSettings(settings: SettingsView): Promise<void> {
    await this.page.evaluate(
      (next) => (globalThis as unknown as StubGlobal).__test.setSettings(next),
      settings,
    );
  }

  async setResponses(responses: StubResponses): Promise<void> {
    await this.page.evaluate(
      (next) => (globalThis as unknown as StubGlobal).__test.setResponses(next),
      responses,
    );
  }

  /** CSP violations, console errors and uncaught page errors seen so far. */
  async trouble(): Promise<string[]> {
    const csp = await this.page.evaluate(() => (globalThis as unknown as StubGlobal).__test.cspViolations);
    return [...csp.map((violation) => `CSP violation: ${violation}`), ...this.problems];
  }

  /**
   * Elements that reach past the window's right edge (or make the page scroll sideways), as
   * "tag.class: right edge"; empty when nothing overflows horizontally.
   */
  async horizontalOverflow(): Promise<string[]> {
    return this.page.evaluate<string[]>(HORIZONTAL_OVERFLOW);
  }

  /** The scrolling content area scrolled to its end: whether its last element is then inside the window. */
  async lastContentVisibleAfterScroll(): Promise<{ scrolls: boolean; lastVisible: boolean }> {
    return this.page.evaluate<{ scrolls: boolean; lastVisible: boolean }>(SCROLL_TO_END);
  }

  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

// Browser-side checks as expressions (the test tsconfig has no DOM types).
const HORIZONTAL_OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width)
    found.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5)
      found.push(element.tagName.toLowerCase() + '.' + element.className + ': ' + Math.round(box.left) + '-' + Math.round(box.right));
  }
  return found;
})()`;

const SCROLL_TO_END = `(() => {
  const content = document.querySelector('.content');
  if (!content) return { scrolls: false, lastVisible: false };
  const scrolls = content.scrollHeight > content.clientHeight;
  content.scrollTop = content.scrollHeight;
  const last = content.lastElementChild && content.lastElementChild.getBoundingClientRect();
  return { scrolls, lastVisible: !!last && last.bottom <= window.innerHeight + 0.5 };
})()`;

/** Waits until the locator's visible text matches; fails with the text it last saw. */
export async function waitForText(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = 5_000,
): Promise<string> {
  let seen = '';
  const matches = (text: string) =>
    typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  try {
    return await waitFor(
      async () => {
        seen = (await locator.allInnerTexts()).join('\n');
        return matches(seen) ? seen : null;
      },
      `text ${String(expected)}`,
      timeoutMs,
    );
  } catch {
    throw new Error(
      `expected ${locator.toString()} to show ${String(expected)}, but it showed: ${JSON.stringify(seen)}`,
    );
  }
}

/**
 * The set-up every window test file shares: the renderer built and the stub bundled once, one browser per
 * file, and after each test the window checked for trouble (CSP violations, console errors, uncaught
 * exceptions) and closed. Returns `open`, which opens one window for the current test.
 */
export interface WindowOpener {
  (config: StubConfig, display?: Parameters<typeof WindowUnderTest.open>[3]): Promise<WindowUnderTest>;
  /** This test provokes trouble on purpose (e.g. a CSP violation): close its window without the check. */
  allowTrouble(): void;
}

export function useWindows(): WindowOpener {
  let browser: Browser;
  let stubSource: string;
  let current: WindowUnderTest | null = null;
  let checkTrouble = true;
  beforeAll(async () => {
    [, stubSource] = await Promise.all([buildRenderer(), bundleStub()]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const window = current;
    const check = checkTrouble;
    current = null;
    checkTrouble = true;
    if (!window) return;
    try {
      if (check) expect(await window.trouble()).toEqual([]);
    } finally {
      await window.close();
    }
  });
  const open = async (config: StubConfig, display?: Parameters<typeof WindowUnderTest.open>[3]) => {
    current = await WindowUnderTest.open(browser, stubSource, config, display);
    return current;
  };
  return Object.assign(open, { allowTrouble: () => void (checkTrouble = false) });
}
