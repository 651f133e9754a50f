import path from 'node:path';
import { BrowserWindow } from 'electron';

export interface AppPaths {
  preload: string;
  rendererIndex: string;
}

/** Built files, relative to the app root (the asar when packaged). */
export function appPaths(appRoot: string): AppPaths {
  return {
    preload: path.join(appRoot, 'out', 'preload', 'preload.cjs'),
    rendererIndex: path.join(appRoot, 'out', 'renderer', 'index.html'),
  };
}

/**
 * A small window with the renderer locked down (Electron's security checklist, electronjs.org/docs/latest/tutorial/security:
 * no Node integration, context isolation, sandbox). The options are written out at the
 * `new BrowserWindow` call so Electronegativity can check them.
 */
export function createMainWindow(options: {
  preload: string;
  icon?: string;
  /** Only in development: a packaged app has no DevTools. */
  devTools: boolean;
}): BrowserWindow {
  return new BrowserWindow({
    width: 440,
    height: 640,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Dialler Bridge',
    autoHideMenuBar: true,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: options.devTools,
    },
  });
}

export interface ToggleableWindow {
  isVisible(): boolean;
  isFocused(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  hide(): void;
}

export function showWindow(window: ToggleableWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** Tray left click: bring the window forward, or put it away if it already is in front. */
export function toggleWindow(window: ToggleableWindow): void {
  if (window.isVisible() && window.isFocused()) window.hide();
  else showWindow(window);
}

/** Closing the window hides it to the tray, unless the app is quitting. */
export function hideOnClose(
  window: {
    on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
    hide(): void;
  },
  isQuitting: () => boolean,
): void {
  window.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
}
