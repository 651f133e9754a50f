// The installer's certificate trust: a file planted in %ProgramData% is trusted for all users only when
// only administrators could have written it and it is a non-CA bridge certificate. PowerShell and certutil
// are stand-ins that answer as Windows does (ACLs by SID).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/main/electron/certificate-trust';
import {
  machineTrustFile,
  nonAdminWriters,
  parseAcl,
  trustMachineCertificate,
  type Acl,
} from '../../src/main/electron/machine-trust';
import { generateCertificate } from '../../src/main/engine/tls/certificate';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const PLANTED = 'C:\\ProgramData\\Dialler Bridge\\bridge-cert.pem';
const ADMINS = { sid: 'S-1-5-32-544', rights: 2032127, allow: true };
const SYSTEM = { sid: 'S-1-5-18', rights: 2032127, allow: true };
const USERS_READ = { sid: 'S-1-5-32-545', rights: 1179817, allow: true }; // ReadAndExecute, Synchronize
const USERS_MODIFY = { sid: 'S-1-5-32-545', rights: 1245631, allow: true }; // Modify
const ADMIN_ACL: Acl = { owner: 'S-1-5-32-544', access: [ADMINS, SYSTEM, USERS_READ] };

function windows(acls: Record<string, Acl>, pem: string) {
  const commands: string[][] = [];
  const run = (file: string, args: string[]): Promise<CommandResult> => {
    commands.push([file, ...args]);
    if (file === 'powershell.exe') {
      const target = /-LiteralPath '(.*?)';/.exec(args.at(-1)!)?.[1]?.replaceAll("''", "'");
      const acl = target ? acls[target] : undefined;
      // ConvertTo-Json writes a single ACE as an object, not an array.
      const json =
        acl && JSON.stringify({ ...acl, access: acl.access.length === 1 ? acl.access[0] : acl.access });
      return Promise.resolve(
        acl ? { code: 0, stdout: json!, stderr: '' } : { code: 1, stdout: '', stderr: 'Cannot find path' },
      );
    }
    return Promise.resolve({
      code: 0,
      stdout: 'CertUtil: -addstore command completed successfully.',
      stderr: '',
    });
  };
  const out: string[] = [];
  const deps = {
    run,
    powershell: 'powershell.exe',
    certutil: 'certutil.exe',
    readText: () => Promise.resolve(pem),
    out: (line: string) => out.push(line),
  };
  const added = () => commands.filter((command) => command[0] === 'certutil.exe');
  return { deps, out, added };
}

const folderAndFile = (folder: Acl, file: Acl = ADMIN_ACL) => ({
  'C:\\ProgramData\\Dialler Bridge': folder,
  [PLANTED]: file,
});

describe('per-machine certificate trust (installer)', () => {
  it('trusts an admin-only file holding a bridge certificate, with certutil -f -addstore Root', async () => {
    const { cert } = await generateCertificate();
    const win = windows(folderAndFile(ADMIN_ACL), cert);
    expect(await trustMachineCertificate(PLANTED, win.deps)).toBe(0);
    expect(win.added()).toEqual([['certutil.exe', '-f', '-addstore', 'Root', PLANTED]]);
    expect(win.out[0]).toMatch(/trusted .* for all users/);
  });

  it.each([
    ['the folder users may modify', folderAndFile({ ...ADMIN_ACL, access: [ADMINS, SYSTEM, USERS_MODIFY] })],
    ['the file users may modify', folderAndFile(ADMIN_ACL, { ...ADMIN_ACL, access: [ADMINS, USERS_MODIFY] })],
    ['a file owned by a user', folderAndFile(ADMIN_ACL, { ...ADMIN_ACL, owner: 'S-1-5-21-1-2-3-1001' })],
  ])('refuses %s, naming who could have written it', async (_name, acls) => {
    const { cert } = await generateCertificate();
    const win = windows(acls, cert);
    expect(await trustMachineCertificate(PLANTED, win.deps)).toBe(1);
    expect(win.out[0]).toMatch(
      /NOT trusted: .* can be changed by accounts that are not administrators \(S-1-5-/,
    );
    expect(win.added()).toEqual([]);
  });

  it('refuses a planted CA certificate and a leaf naming other hosts', async () => {
    const ca = readFileSync(path.join(FIXTURES, 'ca-cert.pem'), 'utf8');
    const win = windows(folderAndFile(ADMIN_ACL), ca);
    expect(await trustMachineCertificate(PLANTED, win.deps)).toBe(1);
    expect(win.out[0]).toMatch(/CA certificate/);
    const other = await generate([{ name: 'commonName', value: 'x' }], {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'mail.example.com' }] },
      ],
    } as never);
    const win2 = windows(folderAndFile(ADMIN_ACL), other.cert);
    expect(await trustMachineCertificate(PLANTED, win2.deps)).toBe(1);
    expect(win2.out[0]).toMatch(/not the bridge's: DNS:mail\.example\.com/);
    expect([...win.added(), ...win2.added()]).toEqual([]);
  });

  it('refuses when the permissions cannot be read', async () => {
    const { cert } = await generateCertificate();
    const win = windows({}, cert);
    expect(await trustMachineCertificate(PLANTED, win.deps)).toBe(1);
    expect(win.out[0]).toMatch(/permissions could not be read/);
  });

  it('reads ACLs by SID and counts only write rights of non-administrators', () => {
    expect(nonAdminWriters(ADMIN_ACL)).toEqual([]);
    expect(
      nonAdminWriters({
        ...ADMIN_ACL,
        access: [...ADMIN_ACL.access, { sid: 'S-1-3-0', rights: 268435456, allow: true }],
      }),
    ).toEqual([]);
    expect(nonAdminWriters({ ...ADMIN_ACL, access: [{ sid: 'S-1-1-0', rights: 0x2, allow: true }] })).toEqual(
      ['S-1-1-0'],
    );
    expect(
      nonAdminWriters({ ...ADMIN_ACL, access: [{ sid: 'S-1-1-0', rights: 0x2, allow: false }] }),
    ).toEqual([]);
    expect(
      parseAcl('{"owner":"S-1-5-18","access":{"sid":"S-1-5-18","rights":2032127,"allow":true}}'),
    ).toEqual({
      owner: 'S-1-5-18',
      access: [{ sid: 'S-1-5-18', rights: 2032127, allow: true }],
    });
  });

  it('is started only with its argument', () => {
    expect(machineTrustFile(['app.exe', '--trust-machine-certificate', PLANTED])).toBe(PLANTED);
    expect(machineTrustFile(['app.exe', '--hidden'])).toBeNull();
  });
});
