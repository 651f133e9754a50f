// The user's preferences file: the hotkey's defaults, what is kept, and a broken file.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesktopPreferences } from '../../src/main/electron/settings/desktop-preferences';
import { makeTempDir } from '../support/temp-dir';

describe('DesktopPreferences', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir('dialler-prefs-')));
  afterEach(() => cleanup());

  it('has the hotkey off (Ctrl+Alt+D) until the user turns it on, and keeps the choice', async () => {
    const first = new DesktopPreferences(path.join(dir, 'user'));
    expect(first.dialHotkey).toEqual({ enabled: false, accelerator: 'CommandOrControl+Alt+D' });
    first.setDialHotkey({ enabled: true, accelerator: 'Ctrl+Shift+F9' });
    expect(new DesktopPreferences(path.join(dir, 'user')).dialHotkey).toEqual({
      enabled: true,
      accelerator: 'Ctrl+Shift+F9',
    });
    expect(JSON.parse(await readFile(first.file, 'utf8'))).toEqual({
      dialHotkey: { enabled: true, accelerator: 'Ctrl+Shift+F9' },
    });
  });

  it('a broken file leaves the hotkey off and says which file and why', async () => {
    await writeFile(path.join(dir, 'preferences.json'), JSON.stringify({ dialHotkey: { enabled: 'yes' } }));
    const preferences = new DesktopPreferences(dir);
    expect(preferences.dialHotkey.enabled).toBe(false);
    expect(preferences.problem).toContain(path.join(dir, 'preferences.json'));
    expect(preferences.problem).toContain('dialHotkey.enabled');
    expect(preferences.problem).toContain('the dial hotkey is off');
  });
});
