import type { PatriotSetupInfo } from '../patriot/endpoint';
import type { StepResult } from './step-result';

/** Where Windows trusts the bridge certificate; `not-applicable` where the platform cannot tell (not Windows). */
export type CertificateTrustScope = 'user' | 'machine' | 'untrusted' | 'not-applicable';

/** Injected: the desktop passes CertificateTrust (certutil); tests pass a fixed answer. */
export interface CertificateChecker {
  trustScope(setup: PatriotSetupInfo): Promise<CertificateTrustScope>;
}

/** Step (a): is the certificate Patriot will see trusted by Windows, and for whom. */
export async function checkCertificate(
  setup: PatriotSetupInfo,
  checker: CertificateChecker,
): Promise<StepResult & { scope: CertificateTrustScope }> {
  if (setup.mode === 'client') {
    return {
      status: 'not-applicable',
      scope: 'not-applicable',
      detail: 'Patriot client mode: the bridge connects to Patriot and serves no certificate of its own.',
    };
  }
  const fingerprint = setup.certificateFingerprint256 ?? 'unknown';
  let scope: CertificateTrustScope;
  try {
    scope = await checker.trustScope(setup);
  } catch (error) {
    return { status: 'failed', scope: 'untrusted', detail: `Could not check: ${(error as Error).message}` };
  }
  switch (scope) {
    case 'user':
      return {
        status: 'passed',
        scope,
        detail: `Trusted for the current Windows user (SHA-256 ${fingerprint}).`,
      };
    case 'machine':
      return {
        status: 'passed',
        scope,
        detail: `Trusted for all users of this PC (SHA-256 ${fingerprint}).`,
      };
    case 'untrusted':
      return {
        status: 'failed',
        scope,
        detail:
          `Windows does not trust the bridge certificate (SHA-256 ${fingerprint}), so Patriot will refuse to ` +
          'connect. Use "Trust certificate…" in the settings, or ask IT to install it for all users.',
      };
    case 'not-applicable':
      return {
        status: 'not-applicable',
        scope,
        detail: `Not applicable on this system (not Windows); certificate SHA-256 ${fingerprint}.`,
      };
  }
}
