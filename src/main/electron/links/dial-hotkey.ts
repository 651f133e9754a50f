// The global "dial the clipboard" hotkey: off by default, registered only while the user has it on and
// IT's policy allows it. Another app holding the same keys is reported, not ignored.
import type { Logger } from '../../engine/log/logger';

export const DEFAULT_DIAL_HOTKEY = 'CommandOrControl+Alt+D';

export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface HotkeySetting {
  enabled: boolean;
  accelerator: string;
}

export class DialHotkey {
  private registered: string | null = null;

  constructor(
    private readonly shortcuts: ShortcutRegistry,
    private readonly onPress: () => void,
    private readonly log: Logger,
  ) {}

  get active(): string | null {
    return this.registered;
  }

  /** Registers or releases the hotkey; returns the problem to tell the user, or null. */
  apply(setting: HotkeySetting, allowedByPolicy: boolean): string | null {
    this.release();
    if (!setting.enabled || !allowedByPolicy) return null;
    let ok: boolean;
    try {
      ok = this.shortcuts.register(setting.accelerator, this.onPress);
    } catch (error) {
      // Electron throws on a malformed accelerator ("Ctrl+").
      this.log.warn('dial hotkey rejected', { accelerator: setting.accelerator, error });
      return `The dial hotkey "${setting.accelerator}" is not a valid key combination.`;
    }
    if (!ok) {
      this.log.warn('dial hotkey taken by another app', { accelerator: setting.accelerator });
      return `The dial hotkey ${setting.accelerator} is already used by another app; choose another one in the settings.`;
    }
    this.registered = setting.accelerator;
    this.log.info('dial hotkey registered', { accelerator: setting.accelerator });
    return null;
  }

  release(): void {
    if (this.registered === null) return;
    this.shortcuts.unregister(this.registered);
    this.registered = null;
  }
}
