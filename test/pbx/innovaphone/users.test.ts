import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait';
import { OPERATOR, startHarness, stopAllHarnesses } from './harness';
import { dialAs } from '../../support/adapter-dial';

afterEach(stopAllHarnesses);

describe('innovaphone user updates', () => {
  it('goes offline when the operator user is deleted, ending its calls, and monitors it again when it returns', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    const oldHandle = harness.userHandle();
    const { callId } = await dialAs(harness.adapter, '200');
    await harness.waitForCall('connected', callId);

    harness.sim.deleteUser(OPERATOR);
    const offline = await harness.waitForLink('offline');
    expect(offline).toMatchObject({ reason: expect.stringContaining(`"${OPERATOR}" was deleted`) });
    await expect(harness.waitForCall('ended', callId)).resolves.toMatchObject({ outcome: 'link-lost' });
    await waitFor(() => harness.sim.received('UserEnd').length === 1, 'UserEnd for the lost user');
    expect(harness.sim.received('UserEnd')[0]).toMatchObject({ user: oldHandle });

    harness.sim.addUser({ cn: OPERATOR, e164: '101' });
    await harness.waitForLink('online');
    expect(harness.sim.received('UserInitialize')).toHaveLength(2);
    expect(harness.userHandle()).not.toBe(oldHandle);
    // Same connection throughout: the user list is live, no reconnect needed.
    expect(harness.sim.acceptedConnections).toBe(1);
  });

  it('goes offline when the operator user is renamed, naming the new Long Name, and recovers on rename back', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');

    harness.sim.renameUser(OPERATOR, 'Operator 1');
    const offline = await harness.waitForLink('offline');
    expect(offline).toMatchObject({ reason: expect.stringContaining('renamed to "Operator 1"') });
    await expect(dialAs(harness.adapter, '200')).rejects.toMatchObject({ code: 'offline' });

    harness.sim.renameUser('Operator 1', OPERATOR);
    await harness.waitForLink('online');
    await expect(dialAs(harness.adapter, '200')).resolves.toMatchObject({ callId: expect.any(String) });
  });

  it('ignores changes to other users and updates interleaved with the initial list', async () => {
    const harness = await startHarness({
      sim: { interleaveUpdate: true, users: [{ cn: OPERATOR }, { cn: 'Colleague' }] },
    });
    await harness.waitForLink('online');
    harness.sim.renameUser('Colleague', 'Colleague Two');
    harness.sim.deleteUser('Colleague Two');
    harness.sim.addUser({ cn: 'Newcomer' });
    await waitFor(() => harness.log.text().includes('Newcomer'), 'the update to reach the adapter');
    expect(harness.adapter.link.status).toBe('online');
    expect(harness.sim.received('UserInitialize')).toHaveLength(1);
  });
});
