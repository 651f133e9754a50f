import type { BridgeNotice } from '../../shared/bridge-types';

const TITLES: Record<BridgeNotice['kind'], string> = {
  'dial-failed': 'Call not placed',
  'pbx-offline': 'PBX offline',
  'pbx-auth-failed': 'PBX login failed',
  'patriot-auth-failed': 'Patriot login failed',
  'inbound-call': 'Incoming call',
  config: 'Settings problem',
  other: 'Notice',
};

export function noticeTitle(notice: BridgeNotice): string {
  return TITLES[notice.kind];
}

/** The newer of two notices (the later `at`; on a tie the second, which arrived last). */
export function newerNotice(a: BridgeNotice | null, b: BridgeNotice | null): BridgeNotice | null {
  if (!a) return b;
  if (!b) return a;
  return b.at >= a.at ? b : a;
}

export function sameNotice(a: BridgeNotice | null, b: BridgeNotice | null): boolean {
  return !!a && !!b && a.at === b.at && a.kind === b.kind && a.message === b.message;
}
