// The per-machine installer's certificate trust (`Dialler Bridge.exe --trust-machine-certificate FILE`,
// run elevated by build/installer.nsh). A file IT placed in %ProgramData% goes into the machine's Root
// store only when nobody but administrators could have written it (folder and file ACL, and owner) and it
// is a self-signed, non-CA certificate naming only the bridge's addresses (engine/tls/trust-policy).
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { checkTrustable } from '../engine/tls/trust-policy';
import type { CommandRunner } from './certificate-trust';

export const MACHINE_TRUST_ARG = '--trust-machine-certificate';

/** Administrators, SYSTEM, TrustedInstaller: the only principals that may be able to write the file. */
const ADMIN_SIDS = new Set([
  'S-1-5-32-544',
  'S-1-5-18',
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
]);
/** CREATOR OWNER: rights for whoever creates a child, which needs create rights granted elsewhere. */
const CREATOR_OWNER = 'S-1-3-0';
/**
 * FileSystemRights bits that change the file or folder: WriteData/CreateFiles, AppendData/CreateDirectories,
 * WriteExtendedAttributes, DeleteSubdirectoriesAndFiles, WriteAttributes, Delete, ChangePermissions,
 * TakeOwnership, GENERIC_ALL, GENERIC_WRITE.
 */
const WRITE_RIGHTS = 0x2 | 0x4 | 0x10 | 0x40 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000;

export interface AclEntry {
  sid: string;
  rights: number;
  allow: boolean;
}

export interface Acl {
  owner: string;
  access: AclEntry[];
}

/** SIDs other than administrators that own or may write the object. */
export function nonAdminWriters(acl: Acl): string[] {
  const writers = new Set<string>();
  if (!ADMIN_SIDS.has(acl.owner)) writers.add(acl.owner);
  for (const entry of acl.access) {
    if (!entry.allow || entry.sid === CREATOR_OWNER || ADMIN_SIDS.has(entry.sid)) continue;
    if ((entry.rights & WRITE_RIGHTS) !== 0) writers.add(entry.sid);
  }
  return [...writers];
}

/** Parses the JSON of readAclCommand (ConvertTo-Json gives an object, not an array, for one entry). */
export function parseAcl(json: string): Acl {
  const raw = JSON.parse(json) as { owner?: unknown; access?: unknown };
  const list = Array.isArray(raw.access) ? raw.access : raw.access ? [raw.access] : [];
  return {
    owner: String(raw.owner ?? ''),
    access: list.map((entry: { sid?: unknown; rights?: unknown; allow?: unknown }) => ({
      sid: String(entry.sid ?? ''),
      rights: Number(entry.rights ?? 0),
      allow: entry.allow === true,
    })),
  };
}

/** PowerShell that prints an object's owner and ACL by SID (locale-independent, unlike icacls' names). */
export function readAclCommand(target: string): string[] {
  const literal = `'${target.replaceAll("'", "''")}'`;
  const sid = '[System.Security.Principal.SecurityIdentifier]';
  const script =
    `$ErrorActionPreference='Stop'; $a = Get-Acl -LiteralPath ${literal}; ` +
    `[pscustomobject]@{ owner = $a.GetOwner(${sid}).Value; access = @($a.Access | ForEach-Object { ` +
    `[pscustomobject]@{ sid = $_.IdentityReference.Translate(${sid}).Value; rights = [int64]$_.FileSystemRights; ` +
    `allow = ($_.AccessControlType -eq 'Allow') } }) } | ConvertTo-Json -Compress -Depth 3`;
  return ['-NoProfile', '-NonInteractive', '-Command', script];
}

export interface MachineTrustDeps {
  run: CommandRunner;
  /** Full paths: a powershell.exe or certutil.exe earlier on PATH must not stand in. */
  powershell: string;
  certutil: string;
  readText?: (file: string) => Promise<string>;
  out(line: string): void;
}

/** Returns the process exit code: 0 trusted, 1 refused or failed (the reason is printed). */
export async function trustMachineCertificate(file: string, deps: MachineTrustDeps): Promise<number> {
  const refuse = (reason: string): number => {
    deps.out(`Dialler Bridge: ${file} was NOT trusted: ${reason}`);
    return 1;
  };
  for (const target of [path.win32.dirname(file), file]) {
    const result = await deps.run(deps.powershell, readAclCommand(target));
    if (result.code !== 0)
      return refuse(`its permissions could not be read (${result.stderr.trim().slice(0, 200)})`);
    let writers: string[];
    try {
      writers = nonAdminWriters(parseAcl(result.stdout));
    } catch {
      return refuse('its permissions could not be read');
    }
    if (writers.length > 0) {
      return refuse(
        `${target} can be changed by accounts that are not administrators (${writers.join(', ')}). ` +
          `Restrict it, e.g. icacls "${target}" /inheritance:r /grant:r *S-1-5-32-544:F *S-1-5-18:F *S-1-5-32-545:RX`,
      );
    }
  }
  let pem: string;
  try {
    pem = await (deps.readText ?? ((name) => readFile(name, 'utf8')))(file);
  } catch (error) {
    return refuse(`it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const check = checkTrustable(pem, { bridgeNamesOnly: true });
  if (!check.ok) return refuse(check.reason);
  const added = await deps.run(deps.certutil, ['-f', '-addstore', 'Root', file]);
  if (added.code !== 0)
    return refuse(`certutil failed (exit code ${added.code}): ${added.stdout.trim().slice(-300)}`);
  deps.out(`Dialler Bridge: trusted ${file} for all users (SHA-256 ${check.cert.fingerprint256})`);
  return 0;
}

/** The file after MACHINE_TRUST_ARG, or null when the app was not started for it. */
export function machineTrustFile(argv: readonly string[]): string | null {
  const index = argv.indexOf(MACHINE_TRUST_ARG);
  return index >= 0 ? (argv[index + 1] ?? '') : null;
}
