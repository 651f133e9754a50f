// Whether Windows trusts the bridge's certificate, and adding it to the current user's Root store.
// Patriot (a Windows app, or a browser for ICA) only connects to wss://127.0.0.1 if it trusts the certificate.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionResult, CertificateInfo } from '../../shared/ipc-contract';
import type { PatriotSetupInfo } from '../engine/bridge/controller';
import type { Logger } from '../engine/log/logger';
import type { CertificateTrustScope } from '../engine/site-check/certificate-step';
import { checkTrustable } from '../engine/tls/trust-policy';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type CommandRunner = (file: string, args: string[]) => Promise<CommandResult>;

/** execFile without a shell; never rejects for a non-zero exit. */
export const execFileRunner: CommandRunner = (file, args) =>
  new Promise((resolve) => {
    // Long timeout: adding to Root waits for the user to answer Windows' prompt.
    execFile(file, args, { windowsHide: true, timeout: 300_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (error?.message ?? '')) });
    });
  });

/** certutil by full path, so a `certutil.exe` earlier on PATH cannot stand in for it. */
export function systemCertutil(env: NodeJS.ProcessEnv = process.env): string {
  return path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'certutil.exe');
}

export interface CertificateTrustDeps {
  run: CommandRunner;
  platform: NodeJS.Platform;
  /** Defaults to "certutil"; the app passes systemCertutil(). */
  certutil?: string;
  log: Logger;
  readText?: (file: string) => Promise<string>;
}

interface CertificateFacts {
  file: string;
  pem: string;
  fingerprint256: string;
  validTo: string;
  /** SHA-1 hex without colons: what certutil calls the cert hash (and Windows the thumbprint). */
  thumbprint: string;
}

export class CertificateTrust {
  constructor(private readonly deps: CertificateTrustDeps) {}

  private get certutil(): string {
    return this.deps.certutil ?? 'certutil';
  }

  async info(setup: PatriotSetupInfo): Promise<CertificateInfo> {
    const facts = await this.facts(setup);
    if (!facts) {
      return { fingerprint256: setup.certificateFingerprint256, validTo: null, trusted: null };
    }
    return {
      fingerprint256: facts.fingerprint256,
      validTo: facts.validTo,
      trusted: await this.isTrusted(facts.thumbprint),
    };
  }

  /**
   * For the site check: which Root store trusts the certificate. The machine store first: the user's
   * logical Root store also lists what IT installed for all users.
   */
  async trustScope(setup: PatriotSetupInfo): Promise<CertificateTrustScope> {
    const facts = await this.facts(setup);
    if (!facts || this.deps.platform !== 'win32') return 'not-applicable';
    if (await this.inStore([], facts.thumbprint)) return 'machine';
    return (await this.inStore(['-user'], facts.thumbprint)) ? 'user' : 'untrusted';
  }

  /** `certutil -user -addstore Root <file>`: Windows asks the user to confirm. */
  async trust(setup: PatriotSetupInfo): Promise<ActionResult> {
    if (this.deps.platform !== 'win32') {
      return { ok: false, message: 'Adding the certificate automatically is only available on Windows.' };
    }
    const facts = await this.facts(setup);
    if (!facts) {
      return { ok: false, message: 'The bridge serves no certificate of its own (Patriot client mode).' };
    }
    // Only the certificate the bridge serves, and never a CA (a Root CA could vouch for any site).
    const check = checkTrustable(facts.pem, { fingerprint256: setup.certificateFingerprint256 });
    if (!check.ok) {
      this.deps.log.warn('certificate not trusted: refused by policy', {
        file: facts.file,
        reason: check.reason,
      });
      return { ok: false, message: `The certificate file ${facts.file} was not trusted: ${check.reason}.` };
    }
    if (await this.isTrusted(facts.thumbprint)) return { ok: true };
    const result = await this.deps.run(this.certutil, ['-user', '-addstore', 'Root', facts.file]);
    if (result.code !== 0 || !(await this.isTrusted(facts.thumbprint))) {
      this.deps.log.warn('certificate not added to the user Root store', {
        code: result.code,
        output: result.stdout.slice(-500),
      });
      return {
        ok: false,
        message:
          'Windows did not add the certificate (the prompt was declined, or a policy forbids it). ' +
          'Ask IT to install it for all users (see the documentation).',
      };
    }
    this.deps.log.info('certificate added to the user Root store', { thumbprint: facts.thumbprint });
    return { ok: true };
  }

  /** Trusted in the user's or the machine's Root store (IT may have installed it for all users). */
  private async isTrusted(thumbprint: string): Promise<boolean | null> {
    if (this.deps.platform !== 'win32') return null;
    for (const scope of [['-user'], []]) if (await this.inStore(scope, thumbprint)) return true;
    return false;
  }

  private async inStore(scope: string[], thumbprint: string): Promise<boolean> {
    const result = await this.deps.run(this.certutil, [...scope, '-verifystore', 'Root', thumbprint]);
    return result.code === 0;
  }

  private async facts(setup: PatriotSetupInfo): Promise<CertificateFacts | null> {
    if (!setup.certificateFile) return null;
    const pem = await (this.deps.readText ?? ((file) => readFile(file, 'utf8')))(setup.certificateFile);
    const cert = new X509Certificate(pem);
    return {
      file: setup.certificateFile,
      pem,
      fingerprint256: cert.fingerprint256,
      validTo: new Date(cert.validTo).toISOString(),
      thumbprint: cert.fingerprint.replace(/:/g, ''),
    };
  }
}
