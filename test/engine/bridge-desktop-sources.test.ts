// A tel: link and the clipboard hotkey take Patriot's dial path: same rules, and the call log names them.
import { afterEach, describe, expect, it } from 'vitest';
import { extractPhoneNumber, parsePhoneUri } from '../../src/main/engine/bridge/tel-uri';
import { startBridge, type BridgeHarness } from '../support/bridge-harness';
import { waitFor } from '../support/wait';

const RAW = {
  activeProfile: 'demo',
  profiles: [
    {
      id: 'demo',
      name: 'Demo',
      type: 'simulator',
      ringAfterMs: 0,
      busyNumbers: ['*'],
      dialRules: { blockedPatterns: ['0900*'] },
    },
  ],
};

describe('dials from tel: links and the hotkey', () => {
  let h: BridgeHarness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('are logged with their source, and the dial rules refuse blocked numbers from links too', async () => {
    h = await startBridge(RAW);
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'online', 'PBX online');
    const link = parsePhoneUri('tel:+44-20-7946-0018;ext=12');
    const copied = extractPhoneNumber('Call 020 7946 0019');
    const blocked = parsePhoneUri('tel:0900-123-456');
    if (!link.ok || !copied.ok || !blocked.ok) throw new Error('the parser refused a valid number');

    await h.bridge.dial(link.number, 'tel-link');
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 1, 'link call logged');
    await h.bridge.dial(copied.number, 'hotkey');
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 2, 'hotkey call logged');
    const refused = await h.bridge.dial(blocked.number, 'tel-link');
    expect(refused).toEqual({ ok: false, message: '0900123456 is blocked by the dial rules (0900*)' });
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 3, 'refusal logged');

    const log = await h.bridge.recentCalls(5);
    expect(log.map((entry) => [entry.number, entry.source, entry.outcome])).toEqual([
      ['0900123456', 'tel-link', 'rejected'],
      ['02079460019', 'hotkey', 'busy'],
      ['+442079460018', 'tel-link', 'busy'],
    ]);
  });
});
