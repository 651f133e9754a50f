import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser, systemBrowserPaths } from './find-browser';
import { launchChromium } from './window-harness';

describe('findBrowser', () => {
  it('prefers CHROMIUM_PATH, then the first system path that exists', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'find-browser-'));
    try {
      const fake = path.join(dir, 'chrome');
      await writeFile(fake, '');
      const explicit = await findBrowser({ env: { CHROMIUM_PATH: fake }, systemPaths: [], packaged: null });
      expect(explicit).toEqual({ executablePath: fake, source: 'CHROMIUM_PATH' });
      const system = await findBrowser({
        env: {},
        systemPaths: [path.join(dir, 'none'), fake],
        packaged: null,
      });
      expect(system).toEqual({ executablePath: fake, source: 'system' });
      await expect(findBrowser({ env: { CHROMIUM_PATH: path.join(dir, 'none') } })).rejects.toThrow(
        /CHROMIUM_PATH=.* does not exist/,
      );
      await expect(findBrowser({ env: {}, systemPaths: [], packaged: null })).rejects.toThrow(
        /set CHROMIUM_PATH/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('looks for Edge on Windows and Chrome on macOS', () => {
    const windows = systemBrowserPaths('win32', { PROGRAMFILES: 'C:\\Program Files' });
    expect(windows).toContain('C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(windows).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(systemBrowserPaths('darwin', {})).toContain(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'renders a page with the npm-packaged Chromium when no system browser is found',
    async () => {
      const found = await findBrowser({ env: {}, systemPaths: [] });
      expect(found.source).toBe('@sparticuz/chromium');
      expect(found.executablePath).not.toBe('/usr/bin/chromium');
      const browser = await launchChromium({ env: {}, systemPaths: [] });
      try {
        const page = await browser.newPage();
        await page.setContent('<h1>packaged</h1>');
        expect(await page.textContent('h1')).toBe('packaged');
        expect((await page.screenshot()).length).toBeGreaterThan(100);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
