import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PatriotSetupInfo } from '../../src/main/engine/bridge/controller';
import {
  CertificateTrust,
  systemCertutil,
  type CommandResult,
} from '../../src/main/electron/certificate-trust';
import { captureLog } from '../support/log-capture';

// Throwaway self-signed certificates (openssl req -x509), only read here: a leaf like the bridge's, and a CA.
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const CERT_FILE = path.join(FIXTURES, 'bridge-cert.pem');
const CA_FILE = path.join(FIXTURES, 'ca-cert.pem');
const THUMBPRINT = '07C7B6EFCFDFFE561B9C219E2645A344907F4F6C';
const FINGERPRINT256 = new X509Certificate(readFileSync(CERT_FILE)).fingerprint256;

const serverSetup: PatriotSetupInfo = {
  mode: 'server',
  url: 'wss://127.0.0.1:9009/ws/dialler/v1',
  apiKeyFile: null,
  certificateFingerprint256: FINGERPRINT256,
  certificateFile: CERT_FILE,
};

/** A fake certutil: a Root store per scope ("user" / "machine"), optional user refusal. */
function fakeCertutil(
  options: { userStore?: string[]; machineStore?: string[]; userDeclines?: boolean } = {},
) {
  const user = new Set(options.userStore ?? []);
  const machine = new Set(options.machineStore ?? []);
  const commands: string[] = [];
  const run = (file: string, args: string[]): Promise<CommandResult> => {
    commands.push([file, ...args].join(' '));
    const scoped = args[0] === '-user';
    const [verb, store, target] = scoped ? args.slice(1) : args;
    const scope = scoped ? user : machine;
    const result = (code: number): Promise<CommandResult> =>
      Promise.resolve({ code, stdout: '', stderr: '' });
    if (file !== 'certutil' || store !== 'Root') return result(1);
    if (verb === '-verifystore') return result(scope.has(target!) ? 0 : 0x80092004);
    if (verb === '-addstore' && scoped) {
      if (options.userDeclines) return result(0x800704c7);
      scope.add(THUMBPRINT);
      return result(0);
    }
    return result(1);
  };
  return { run, commands };
}

const trustWith = (fake: ReturnType<typeof fakeCertutil>, platform: NodeJS.Platform = 'win32') =>
  new CertificateTrust({ run: fake.run, platform, log: captureLog().logger });

describe('certificate trust', () => {
  it('describes the served certificate and checks the user and machine Root stores by thumbprint', async () => {
    const fake = fakeCertutil();
    const info = await trustWith(fake).info(serverSetup);
    expect(info.trusted).toBe(false);
    expect(info.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(info.validTo).toBe(new Date(new X509Certificate(readFileSync(CERT_FILE)).validTo).toISOString());
    expect(fake.commands).toEqual([
      `certutil -user -verifystore Root ${THUMBPRINT}`,
      `certutil -verifystore Root ${THUMBPRINT}`,
    ]);
  });

  it('counts a certificate IT installed for all users as trusted', async () => {
    const info = await trustWith(fakeCertutil({ machineStore: [THUMBPRINT] })).info(serverSetup);
    expect(info.trusted).toBe(true);
  });

  it('adds the certificate to the current user’s Root store (Windows prompts) and confirms it', async () => {
    const fake = fakeCertutil();
    const trust = trustWith(fake);
    await expect(trust.trust(serverSetup)).resolves.toEqual({ ok: true });
    expect(fake.commands).toContain(`certutil -user -addstore Root ${CERT_FILE}`);
    await expect(trust.info(serverSetup)).resolves.toMatchObject({ trusted: true });
  });

  it('trusts only the certificate the bridge serves: a replaced file is refused, nothing reaches certutil', async () => {
    const fake = fakeCertutil();
    const result = await trustWith(fake).trust({ ...serverSetup, certificateFingerprint256: 'AA:BB:CC' });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('not the certificate the bridge serves'),
    });
    expect(fake.commands.filter((command) => command.includes('-addstore'))).toEqual([]);
  });

  it('never adds a CA certificate to the Root store, even one the bridge serves', async () => {
    const fake = fakeCertutil();
    const ca = new X509Certificate(readFileSync(CA_FILE));
    const result = await trustWith(fake).trust({
      ...serverSetup,
      certificateFile: CA_FILE,
      certificateFingerprint256: ca.fingerprint256,
    });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('CA certificate') });
    expect(fake.commands.filter((command) => command.includes('-addstore'))).toEqual([]);
  });

  it('explains a declined prompt or a blocking policy', async () => {
    const result = await trustWith(fakeCertutil({ userDeclines: true })).trust(serverSetup);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('Ask IT') });
  });

  it('does nothing when already trusted', async () => {
    const fake = fakeCertutil({ userStore: [THUMBPRINT] });
    await expect(trustWith(fake).trust(serverSetup)).resolves.toEqual({ ok: true });
    expect(fake.commands.some((command) => command.includes('-addstore'))).toBe(false);
  });

  it('cannot tell, and does not try, outside Windows', async () => {
    const fake = fakeCertutil();
    const trust = trustWith(fake, 'linux');
    await expect(trust.info(serverSetup)).resolves.toMatchObject({ trusted: null });
    await expect(trust.trust(serverSetup)).resolves.toMatchObject({ ok: false });
    expect(fake.commands).toEqual([]);
  });

  it('has nothing to trust in client mode (the bridge serves no certificate)', async () => {
    const fake = fakeCertutil();
    const clientSetup = {
      ...serverSetup,
      mode: 'client' as const,
      certificateFile: null,
      certificateFingerprint256: null,
    };
    await expect(trustWith(fake).info(clientSetup)).resolves.toEqual({
      fingerprint256: null,
      validTo: null,
      trusted: null,
    });
    await expect(trustWith(fake).trust(clientSetup)).resolves.toMatchObject({ ok: false });
  });
});

describe('certutil location', () => {
  it('is taken from the Windows folder, never from PATH', () => {
    expect(systemCertutil({ SystemRoot: 'D:\\WINDOWS' })).toBe('D:\\WINDOWS\\System32\\certutil.exe');
    expect(systemCertutil({})).toBe('C:\\Windows\\System32\\certutil.exe');
  });

  it('names the Root store that trusts the certificate for the site check', async () => {
    const scope = (fake: ReturnType<typeof fakeCertutil>, platform?: NodeJS.Platform) =>
      trustWith(fake, platform).trustScope(serverSetup);
    expect(await scope(fakeCertutil({ userStore: [THUMBPRINT] }))).toBe('user');
    expect(await scope(fakeCertutil({ machineStore: [THUMBPRINT], userStore: [THUMBPRINT] }))).toBe(
      'machine',
    );
    expect(await scope(fakeCertutil())).toBe('untrusted');
    expect(await scope(fakeCertutil({ userStore: [THUMBPRINT] }), 'linux')).toBe('not-applicable');
    const clientSetup = { ...serverSetup, mode: 'client' as const, certificateFile: null };
    expect(await trustWith(fakeCertutil()).trustScope(clientSetup)).toBe('not-applicable');
  });
});
