import type { BridgeNotice } from '../../shared/bridge-types';

export interface DesktopNotification {
  title: string;
  body: string;
  /** Inbound calls make a sound; failures are silent (the tray icon changes too). */
  silent: boolean;
  /** Default: show the window. */
  onClick?: () => void;
  onClose?: () => void;
}

const TITLES: Partial<Record<BridgeNotice['kind'], string>> = {
  'inbound-call': 'Incoming call',
  'dial-failed': 'Call could not be placed',
  'pbx-offline': 'PBX offline',
  'pbx-auth-failed': 'PBX login failed',
  'patriot-auth-failed': 'Patriot could not log in',
  config: 'Settings problem',
};

/** One ringing call may be reported more than once; a caller ringing again later is a new call. */
const INBOUND_REPEAT_MS = 10_000;

/** Notices worth a desktop notification; everything else only shows in the window. */
export function notificationFor(notice: BridgeNotice): DesktopNotification | null {
  const title = TITLES[notice.kind] ?? (notice.level === 'error' ? 'Dialler Bridge' : null);
  if (!title) return null;
  if (notice.kind === 'config' && notice.level === 'info') return null;
  return { title, body: notice.message, silent: notice.kind !== 'inbound-call' };
}

export interface NotifierOptions {
  show(notification: DesktopNotification): void;
  now(): number;
  /** The same notice (kind + message) is shown once per window. */
  repeatAfterMs?: number;
  /** A flapping PBX must not flood the desktop: "PBX offline" at most once per this window, any reason. */
  offlineRepeatAfterMs?: number;
  /** At most `burst` notifications per `burstWindowMs`, inbound calls excepted. */
  burst?: number;
  burstWindowMs?: number;
}

/** Turns bridge notices into desktop notifications, deduplicated and rate-limited. */
export class NoticeNotifier {
  private readonly lastShown = new Map<string, number>();
  private recent: number[] = [];

  constructor(private readonly options: NotifierOptions) {}

  /** Returns whether a notification was shown. */
  handle(notice: BridgeNotice): boolean {
    const notification = notificationFor(notice);
    if (!notification) return false;
    const now = this.options.now();
    const key = notice.kind === 'pbx-offline' ? notice.kind : `${notice.kind}\n${notice.message}`;
    const repeatAfter =
      notice.kind === 'pbx-offline'
        ? (this.options.offlineRepeatAfterMs ?? 5 * 60_000)
        : notice.kind === 'inbound-call'
          ? INBOUND_REPEAT_MS
          : (this.options.repeatAfterMs ?? 60_000);
    const last = this.lastShown.get(key);
    if (last !== undefined && now - last < repeatAfter) return false;

    const burstWindow = this.options.burstWindowMs ?? 60_000;
    this.recent = this.recent.filter((at) => now - at < burstWindow);
    if (notice.kind !== 'inbound-call' && this.recent.length >= (this.options.burst ?? 4)) return false;

    this.lastShown.set(key, now);
    this.recent.push(now);
    this.options.show(notification);
    return true;
  }
}
