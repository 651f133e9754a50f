// Applied to every webContents the app ever creates (Electron's security checklist: limit navigation
// and new windows, deny permission requests; electronjs.org/docs/latest/tutorial/security).
import type { Logger } from '../engine/log/logger';

/** The only places a link in the window may open, in the user's browser. */
export const EXTERNAL_URL_ALLOWLIST: readonly string[] = ['https://docs.patriotsystems.com/'];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return EXTERNAL_URL_ALLOWLIST.some((prefix) => parsed.href.startsWith(prefix));
}

export interface HardenableContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  session: {
    setPermissionRequestHandler(
      handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
    ): void;
    setPermissionCheckHandler(handler: () => boolean): void;
  };
}

export function hardenWebContents(
  contents: HardenableContents,
  deps: { openExternal(url: string): Promise<void>; log: Logger },
): void {
  const refuse = (what: string) => (event: { preventDefault(): void }, url?: string) => {
    event.preventDefault();
    deps.log.warn(`${what} blocked`, { url: url ?? null });
  };
  // The window shows one local page; it never navigates, redirects or embeds anything.
  contents.on('will-navigate', refuse('navigation'));
  contents.on('will-redirect', refuse('redirect'));
  contents.on('will-attach-webview', refuse('webview'));
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) {
      deps.openExternal(url).catch((error: unknown) => deps.log.warn('could not open link', { url, error }));
    } else deps.log.warn('new window blocked', { url });
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => {
    deps.log.warn('permission request denied', { permission });
    callback(false);
  });
  contents.session.setPermissionCheckHandler(() => false);
}
