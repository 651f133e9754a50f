import { describe, expect, it } from 'vitest';
import type { BridgeNotice } from '../../src/shared/bridge-types';
import { NoticeNotifier, type DesktopNotification } from '../../src/main/electron/notifications';

function setup() {
  let now = 1_000_000;
  const shown: DesktopNotification[] = [];
  const notifier = new NoticeNotifier({ show: (n) => shown.push(n), now: () => now });
  return { notifier, shown, advance: (ms: number) => (now += ms) };
}

const notice = (
  kind: BridgeNotice['kind'],
  message: string,
  level: BridgeNotice['level'] = 'error',
): BridgeNotice => ({
  at: 0,
  level,
  kind,
  message,
});

describe('notifications from bridge notices', () => {
  it('notifies inbound calls with sound and failures silently, with the reason', () => {
    const { notifier, shown } = setup();
    notifier.handle(notice('inbound-call', 'Call from +44 20 7946 0000', 'info'));
    notifier.handle(notice('dial-failed', 'Dial 0900123 failed: number blocked by dial rules'));
    notifier.handle(notice('pbx-auth-failed', 'Office (VIPTel): wrong user name or password'));
    expect(shown).toEqual([
      { title: 'Incoming call', body: 'Call from +44 20 7946 0000', silent: false },
      {
        title: 'Call could not be placed',
        body: 'Dial 0900123 failed: number blocked by dial rules',
        silent: true,
      },
      { title: 'PBX login failed', body: 'Office (VIPTel): wrong user name or password', silent: true },
    ]);
  });

  it('keeps informational notices in the window only', () => {
    const { notifier, shown } = setup();
    expect(notifier.handle(notice('other', 'Profile switched', 'info'))).toBe(false);
    expect(notifier.handle(notice('config', 'Saved', 'info'))).toBe(false);
    expect(shown).toEqual([]);
  });

  it('shows the same failure once per minute', () => {
    const { notifier, shown, advance } = setup();
    notifier.handle(notice('dial-failed', 'Busy'));
    advance(30_000);
    notifier.handle(notice('dial-failed', 'Busy'));
    notifier.handle(notice('dial-failed', 'No answer'));
    advance(31_000);
    notifier.handle(notice('dial-failed', 'Busy'));
    expect(shown.map((n) => n.body)).toEqual(['Busy', 'No answer', 'Busy']);
  });

  it('reports a flapping PBX as offline at most once per five minutes, whatever the reason', () => {
    const { notifier, shown, advance } = setup();
    notifier.handle(notice('pbx-offline', 'connection refused'));
    advance(60_000);
    notifier.handle(notice('pbx-offline', 'timeout'));
    advance(4 * 60_000);
    notifier.handle(notice('pbx-offline', 'connection reset'));
    expect(shown.map((n) => n.body)).toEqual(['connection refused', 'connection reset']);
  });

  it('limits bursts of failures but never drops an inbound call', () => {
    const { notifier, shown } = setup();
    for (let i = 0; i < 10; i++) notifier.handle(notice('dial-failed', `failure ${i}`));
    notifier.handle(notice('inbound-call', 'Call from 0123', 'info'));
    expect(shown.filter((n) => n.title === 'Call could not be placed')).toHaveLength(4);
    expect(shown.at(-1)).toMatchObject({ title: 'Incoming call' });
  });

  it('notifies a caller who rings again later', () => {
    const { notifier, shown, advance } = setup();
    notifier.handle(notice('inbound-call', 'Call from 0123', 'info'));
    notifier.handle(notice('inbound-call', 'Call from 0123', 'info'));
    advance(20_000);
    notifier.handle(notice('inbound-call', 'Call from 0123', 'info'));
    expect(shown).toHaveLength(2);
  });
});
