// tel: and callto: as Windows and macOS hand them over: the per-user protocol registration and the links
// found in a launch's argv (Windows passes the clicked link as an argument of the second instance).
import type { Logger } from '../../engine/log/logger';

export const PHONE_SCHEMES = ['tel', 'callto'] as const;

export interface ProtocolApp {
  isPackaged: boolean;
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  removeAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  isDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
}

/** The tel:/callto: links among a launch's arguments (Windows quotes them as one argument each). */
export function phoneLinksIn(argv: readonly string[]): string[] {
  return argv.filter((arg) => /^(tel|callto):/i.test(arg.trim()));
}

/**
 * Registers the app for tel: and callto: for this user (HKCU), or removes that registration when IT's
 * policy turns links off. Per-machine registration is the installer's (build/installer.nsh). Returns the
 * problem to tell the user, or null. Development builds leave the registry alone.
 */
export function registerPhoneSchemes(app: ProtocolApp, enabled: boolean, log: Logger): string | null {
  if (!app.isPackaged) {
    log.info('development build: tel:/callto: are not registered');
    return null;
  }
  const refused: string[] = [];
  for (const scheme of PHONE_SCHEMES) {
    if (!enabled) {
      if (app.isDefaultProtocolClient(scheme)) app.removeAsDefaultProtocolClient(scheme);
      continue;
    }
    if (!app.setAsDefaultProtocolClient(scheme)) refused.push(`${scheme}:`);
  }
  if (refused.length === 0) {
    log.info(enabled ? 'registered for tel: and callto: links' : 'tel:/callto: links are off by policy');
    return null;
  }
  log.warn('protocol registration refused', { schemes: refused });
  return `Windows did not register Dialler Bridge for ${refused.join(' and ')} links; choose it under Settings › Apps › Default apps.`;
}
