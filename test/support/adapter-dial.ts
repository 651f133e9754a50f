import { randomUUID } from 'node:crypto';
import type { AdapterContext, PbxAdapter } from '../../src/main/engine/pbx/adapter';

/** A Bridge-style call id (letters and digits). */
export function testCallId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Dials as the Bridge does, with a fresh Bridge id; resolves with that id once the PBX accepted. */
export async function dialAs(
  adapter: Pick<PbxAdapter, 'dial'>,
  number: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<{ callId: string }> {
  const callId = testCallId();
  await adapter.dial(callId, number, signal);
  return { callId };
}

/** The part of AdapterContext a test rig does not care about. */
export const contextIds: Pick<AdapterContext, 'newCallId'> = { newCallId: testCallId };
