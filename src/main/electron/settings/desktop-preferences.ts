// The user's own desktop preferences (userData/preferences.json), kept apart from the bridge settings so
// they apply also when IT's file locks those: today the clipboard dial hotkey.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { DEFAULT_DIAL_HOTKEY, type HotkeySetting } from '../links/dial-hotkey';

const preferencesSchema = z.object({
  dialHotkey: z
    .object({ enabled: z.boolean(), accelerator: z.string().min(1).max(60) })
    .default({ enabled: false, accelerator: DEFAULT_DIAL_HOTKEY }),
});

export type DesktopPreferencesData = z.output<typeof preferencesSchema>;

export class DesktopPreferences {
  readonly file: string;
  /** Why the file was not used (unreadable, invalid), for the user; defaults apply then. */
  problem: string | null = null;
  private data: DesktopPreferencesData;

  constructor(userDataDir: string) {
    this.file = path.join(userDataDir, 'preferences.json');
    this.data = this.read();
  }

  get dialHotkey(): HotkeySetting {
    return { ...this.data.dialHotkey };
  }

  setDialHotkey(setting: HotkeySetting): void {
    this.data = { ...this.data, dialHotkey: { ...setting } };
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
  }

  private read(): DesktopPreferencesData {
    const defaults = preferencesSchema.parse({});
    if (!existsSync(this.file)) return defaults;
    try {
      return preferencesSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (error) {
      const why = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
      this.problem = `${this.file} could not be read (${why.replace(/\s+/g, ' ')}); the dial hotkey is off.`;
      return defaults;
    }
  }
}
