import path from 'node:path';
import type { TrayIconState } from './tray-state';

/** Windows gets the multi-size .ico; other platforms a PNG (Electron picks `@2x` siblings itself). */
export function trayIconFile(iconDir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  return path.join(iconDir, platform === 'win32' ? `${state}.ico` : `${state}.png`);
}
