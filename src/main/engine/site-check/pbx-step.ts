import { describeLink } from '../bridge/bridge';
import type { StepResult } from './step-result';
import { waitForSnapshot, type SnapshotSource } from './wait-for-snapshot';

/** Step (c): the active profile's PBX link, waiting up to `timeoutMs` while it is still connecting. */
export async function checkPbx(bridge: SnapshotSource, timeoutMs: number): Promise<StepResult> {
  const { snapshot, timedOut } = await waitForSnapshot(
    bridge,
    (s) => s.pbx.link.status !== 'connecting',
    timeoutMs,
  );
  const { profile, link, warnings } = snapshot.pbx;
  const who = `${profile.name} (${profile.type})`;
  const notes = warnings.length ? ` Warnings: ${warnings.join('; ')}` : '';
  if (link.status === 'online') {
    return {
      status: 'passed',
      detail: `${who}: online and logged in${link.detail ? ` (${link.detail})` : ''}.${notes}`,
    };
  }
  const waited = timedOut ? ` after ${Math.round(timeoutMs / 1000)} s` : '';
  return { status: 'failed', detail: `${who}: ${describeLink(link)}${waited}.${notes}` };
}
