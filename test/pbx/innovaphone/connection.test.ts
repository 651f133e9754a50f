import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';
import { delay, waitFor } from '../../support/wait';
import { APP, PASSWORD, startHarness, stopAllHarnesses } from './harness';
import { dialAs } from '../../support/adapter-dial';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopAllHarnesses();
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('innovaphone login', () => {
  for (const challenge of ['digits', 'hex', 'number'] as const) {
    it(`logs in as the App object and monitors the operator (challenge as ${challenge})`, async () => {
      const harness = await startHarness({ sim: { challenge } });
      const online = await harness.waitForLink('online');
      expect(online).toMatchObject({ detail: expect.stringContaining('Operator One') });
      const [login] = harness.sim.received('AppLogin');
      // App-object login: app + four empty strings, no info, no session key.
      expect(Object.keys(login!).sort()).toEqual(['app', 'digest', 'dn', 'domain', 'guid', 'mt', 'sip']);
      expect(login).toMatchObject({ app: APP, domain: '', sip: '', guid: '', dn: '' });
      expect(harness.sim.received('UserInitialize')).toEqual([
        expect.objectContaining({ api: 'RCC', cn: 'Operator One' }),
      ]);
    });
  }

  it('reports a refused login as auth-failed, retries only slowly, and at once on retryNow()', async () => {
    const harness = await startHarness({ profile: { password: 'wrong-password' } });
    const failed = await harness.waitForLink('auth-failed');
    expect(failed).toMatchObject({ reason: expect.stringContaining(`App object "${APP}"`) });

    // Backoff is 20-100 ms in these tests: a client that hammered would have reconnected many times.
    await delay(500);
    expect(harness.sim.acceptedConnections).toBe(1);
    expect(harness.links.filter((state) => state.status === 'auth-failed')).toHaveLength(1);

    harness.adapter.retryNow();
    await waitFor(() => harness.sim.acceptedConnections === 2, 'a second login attempt');
    await waitFor(
      () => harness.links.filter((state) => state.status === 'auth-failed').length === 2,
      'auth-failed',
    );
  });

  it('names the cn and the App object when the user is not visible, and comes online once assigned', async () => {
    const harness = await startHarness({
      sim: { users: [{ cn: 'Operator One', apps: ['another-app'] }, { cn: 'Somebody Else' }] },
    });
    const offline = await harness.waitForLink('offline');
    expect(offline).toMatchObject({
      reason: expect.stringMatching(/"Operator One" is not visible to App object "dialler"/),
    });
    expect(harness.links.some((state) => state.status === 'auth-failed')).toBe(false);
    await expect(dialAs(harness.adapter, '200')).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringContaining('Operator One'),
    });

    // The admin assigns the App to the user: the PBX sends a UserInfo update and we start monitoring.
    harness.sim.setUserApps('Operator One', [APP]);
    await harness.waitForLink('online');
    expect(harness.sim.acceptedConnections).toBe(1);
  });

  it('says to enable RCC when the App object does not answer RCC Initialize', async () => {
    const harness = await startHarness({
      sim: { apps: [{ name: APP, password: PASSWORD, rcc: false }] },
      timings: { requestTimeoutMs: 200 },
    });
    await waitFor(
      () => harness.links.find((state) => state.status === 'offline' && /RCC/.test(state.reason)),
      'an offline state that mentions RCC',
    );
  });
});

describe('innovaphone TLS', () => {
  async function tlsSetup(): Promise<{ tls: { cert: string; key: string }; caFile: string }> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const temp = await makeTempDir();
    cleanups.push(temp.cleanup);
    const caFile = path.join(temp.dir, 'pbx.pem');
    await writeFile(caFile, pems.cert);
    return { tls: { cert: pems.cert, key: pems.private }, caFile };
  }

  it('trusts a self-signed PBX certificate given as caFile', async () => {
    const { tls, caFile } = await tlsSetup();
    const harness = await startHarness({ sim: { tls }, profile: { caFile } });
    await harness.waitForLink('online');
    expect(harness.adapter.warnings()).toEqual([]);
  });

  it('refuses an untrusted certificate and says how to fix it', async () => {
    const { tls } = await tlsSetup();
    const harness = await startHarness({ sim: { tls } });
    await waitFor(
      () => harness.links.find((state) => state.status === 'offline' && state.reason.includes('caFile')),
      'an offline state that points at caFile',
    );
    expect(harness.sim.received('AppChallenge')).toEqual([]);
  });

  it('connects without checks only when the profile says so, with a warning', async () => {
    const { tls } = await tlsSetup();
    const harness = await startHarness({ sim: { tls }, profile: { rejectUnauthorized: false } });
    await harness.waitForLink('online');
    expect(harness.adapter.warnings()).toEqual([expect.stringContaining('rejectUnauthorized')]);
    expect(harness.log.records()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('rejectUnauthorized') }),
    );
  });
});

describe('innovaphone connection life', () => {
  it('re-initializes after a dropped connection, ends live calls as link-lost, and dials with the new handle', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    const oldHandle = harness.userHandle();
    const { callId } = await dialAs(harness.adapter, '200');
    await harness.waitForCall('connected', callId);

    harness.sim.dropAllConnections();
    await expect(harness.waitForCall('ended', callId)).resolves.toMatchObject({ outcome: 'link-lost' });
    await waitFor(() => harness.sim.received('UserInitialize').length === 2, 'a second UserInitialize');
    await harness.waitForLink('online');
    expect(harness.sim.received('Initialize')).toHaveLength(2);

    const newHandle = harness.userHandle();
    expect(newHandle).not.toBe(oldHandle);
    await dialAs(harness.adapter, '201');
    expect(harness.sim.received('UserCall').at(-1)).toMatchObject({ user: newHandle, e164: '201' });
  });

  it('picks up a call that outlived the connection and clears it with its new handle', async () => {
    const harness = await startHarness({ sim: { callsSurviveDisconnect: true } });
    await harness.waitForLink('online');
    const { callId } = await dialAs(harness.adapter, '200');
    await harness.waitForCall('connected', callId);

    harness.sim.dropAllConnections();
    await harness.waitForCall('ended', callId);
    const again = await waitFor(
      () => harness.calls().find((event) => event.kind === 'connected' && event.callId !== callId),
      'the surviving call reported again',
    );
    const newCallHandle = harness.sim.liveCalls()[0]!.handles[0]!.call;

    await harness.adapter.hangup(again.callId);
    expect(harness.sim.received('UserClear').at(-1)).toMatchObject({ call: newCallHandle });
    await harness.waitForCall('ended', again.callId);
  });

  it('sends KeepAlive while idle', async () => {
    const harness = await startHarness({ timings: { keepAliveMs: 30 } });
    await harness.waitForLink('online');
    await waitFor(() => harness.sim.received('KeepAlive').length >= 2, 'KeepAlive messages');
    expect(harness.adapter.link.status).toBe('online');
  });

  it('stop() ends monitoring with UserEnd, closes the socket, and can be called twice', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    const handle = harness.userHandle();

    await Promise.all([harness.adapter.stop(), harness.adapter.stop()]);

    expect(harness.sim.received('UserEnd')).toEqual([expect.objectContaining({ api: 'RCC', user: handle })]);
    await waitFor(() => harness.sim.connections().length === 0, 'the simulator to see no connection');
    expect(harness.adapter.link).toEqual({ status: 'stopped' });
    await harness.adapter.stop();
    // Stopped for good: no reconnect.
    await delay(200);
    expect(harness.sim.acceptedConnections).toBe(1);
  });

  it('stop() finishes even when the PBX never answers UserEnd', async () => {
    const harness = await startHarness({ sim: { ignore: ['UserEnd'] } });
    await harness.waitForLink('online');
    await harness.adapter.stop();
    await waitFor(() => harness.sim.connections().length === 0, 'the simulator to see no connection');
  });
});

describe('innovaphone secrets', () => {
  it('keeps the password and the login digest out of debug logs, on success and on failure', async () => {
    const good = await startHarness();
    await good.waitForLink('online');
    await dialAs(good.adapter, '200');
    const bad = await startHarness({ profile: { password: 'Another-Wrong-Secret' } });
    await bad.waitForLink('auth-failed');

    for (const [harness, password] of [
      [good, PASSWORD],
      [bad, 'Another-Wrong-Secret'],
    ] as const) {
      const digests = harness.sim.received('AppLogin').map((login) => login.digest as string);
      expect(digests.length).toBeGreaterThan(0);
      // The login was logged at debug level...
      expect(harness.log.records()).toContainEqual(
        expect.objectContaining({ level: 'debug', message: expect.objectContaining({ mt: 'AppLogin' }) }),
      );
      // ...without its secrets.
      const text = harness.log.text();
      expect(text).not.toContain(password);
      for (const digest of digests) expect(text).not.toContain(digest);
    }
  });
});
