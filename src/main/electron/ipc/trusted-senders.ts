// IPC sender checks (Electron's security checklist: validate the sender of
// all IPC messages): a message is acted on only if it comes from a webContents we
// created, that belongs to one of our windows, and whose frame shows our own file:// page.
import { pathToFileURL } from 'node:url';

export interface SenderEvent {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface TrustableWindow {
  webContents: { id: number; once(event: 'destroyed', listener: () => void): unknown };
}

export interface TrustedSendersOptions {
  /** `BrowserWindow.fromWebContents`. */
  windowOf(sender: SenderEvent['sender']): unknown;
  /** Absolute path of the renderer's index.html. */
  rendererFile: string;
  /** Windows paths compare case-insensitively. */
  platform?: NodeJS.Platform;
}

export class TrustedSenders {
  private readonly ids = new Set<number>();
  private readonly windows = new Set<unknown>();
  private readonly rendererPath: string;

  constructor(private readonly options: TrustedSendersOptions) {
    this.rendererPath = this.comparable(pathToFileURL(options.rendererFile).pathname);
  }

  /** Trusts the window's webContents until it is destroyed. */
  trust(window: TrustableWindow): void {
    const { webContents } = window;
    this.ids.add(webContents.id);
    this.windows.add(window);
    webContents.once('destroyed', () => {
      this.ids.delete(webContents.id);
      this.windows.delete(window);
    });
  }

  /** Why the message must be refused, or null when it may be acted on. */
  rejection(event: SenderEvent): string | null {
    if (!this.ids.has(event.sender.id)) return 'unknown webContents';
    const window = this.options.windowOf(event.sender);
    if (!window || !this.windows.has(window)) return 'not one of our windows';
    const frameUrl = event.senderFrame?.url;
    if (!frameUrl) return 'sender frame gone';
    let url: URL;
    try {
      url = new URL(frameUrl);
    } catch {
      return 'unparsable frame URL';
    }
    if (url.protocol !== 'file:' || url.host !== '' || this.comparable(url.pathname) !== this.rendererPath) {
      return 'frame is not our page';
    }
    return null;
  }

  private comparable(pathname: string): string {
    let decoded = pathname;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      // A malformed escape cannot match our own path anyway.
    }
    return (this.options.platform ?? process.platform) === 'win32' ? decoded.toLowerCase() : decoded;
  }
}
