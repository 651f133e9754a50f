import { readFile } from 'node:fs/promises';
import { describeLink } from '../bridge/bridge';
import type { PatriotSetupInfo } from '../patriot/endpoint';
import { connectToBridge, type BridgeSession, type TlsTrust } from '../patriot/simulator';
import type { CertificateTrustScope } from './certificate-step';
import type { StepResult } from './step-result';
import { waitForSnapshot, type SnapshotSource } from './wait-for-snapshot';

export interface PatriotStepDeps {
  bridge: SnapshotSource & { patriotSetup(): PatriotSetupInfo };
  /** The key Patriot is given (server mode): the real one, so a stale key shows up here. */
  apiKey(): Promise<string>;
  readText?: (file: string) => Promise<string>;
  timeoutMs: number;
}

/** Step (b): Patriot can reach the bridge from this PC, exactly as it would connect. */
export async function checkPatriot(deps: PatriotStepDeps, scope: CertificateTrustScope): Promise<StepResult> {
  const setup = deps.bridge.patriotSetup();
  return setup.mode === 'client' ? checkClientLink(deps) : connectAsPatriot(deps, setup, scope);
}

/**
 * Server mode: the engine's Patriot simulator connects over wss and sends init-request with the real key.
 * It trusts the bridge certificate only when Windows does; off Windows (cannot tell) it trusts it.
 */
async function connectAsPatriot(
  deps: PatriotStepDeps,
  setup: PatriotSetupInfo,
  scope: CertificateTrustScope,
): Promise<StepResult> {
  if (!setup.url) return { status: 'failed', detail: 'The Patriot endpoint is not running.' };
  let trust: TlsTrust = { system: true };
  if (scope !== 'untrusted' && setup.certificateFile) {
    trust = { ca: await (deps.readText ?? ((file) => readFile(file, 'utf8')))(setup.certificateFile) };
  }
  let session: BridgeSession | null = null;
  try {
    const connecting = connectToBridge({
      url: setup.url,
      apiKey: await deps.apiKey(),
      trust,
      heartbeatMs: 0,
    });
    session = await withTimeout(connecting, deps.timeoutMs).catch((error: unknown) => {
      // A connection that opens after we gave up is closed, not left behind.
      connecting.then(
        (late) => late.close(),
        () => undefined,
      );
      throw error;
    });
    const answer = await withTimeout(session.authenticate(), deps.timeoutMs);
    if (!answer.success) {
      return {
        status: 'failed',
        detail: `${setup.url}: the bridge refused the API key (${answer.error ?? 'no reason given'}).`,
      };
    }
    return {
      status: 'passed',
      detail: `${setup.url}: TLS accepted and the API key accepted, as Patriot connects.`,
    };
  } catch (error) {
    return { status: 'failed', detail: `${setup.url}: ${connectFailure(error as Error)}` };
  } finally {
    await session?.close();
  }
}

/** The simulator's hints name its own command-line options; here the advice is the operator's. */
function connectFailure(error: Error): string {
  if (/certificate is not trusted/.test(error.message)) {
    return 'the TLS connection was refused because the certificate is not trusted; Patriot on this PC would fail the same way.';
  }
  return error.message.replace(/; pass --ca.*$/, '');
}

/** Client mode: the bridge connects to Patriot; its link state says whether Patriot accepted it. */
async function checkClientLink(deps: PatriotStepDeps): Promise<StepResult> {
  const { snapshot, timedOut } = await waitForSnapshot(
    deps.bridge,
    (s) => s.patriot.link.status !== 'connecting',
    deps.timeoutMs,
  );
  const { link, endpoint } = snapshot.patriot;
  if (link.status === 'online') {
    return { status: 'passed', detail: `Connected to Patriot at ${endpoint} and authenticated.` };
  }
  if (link.status === 'auth-failed') {
    return {
      status: 'failed',
      detail: `Patriot at ${endpoint} refused the bridge: ${link.reason}. Enter Patriot's WebSocketApiKey in the Patriot settings.`,
    };
  }
  const waited = timedOut ? ` after ${Math.round(deps.timeoutMs / 1000)} s` : '';
  return {
    status: 'failed',
    detail: `Not connected to Patriot at ${endpoint}${waited}: ${describeLink(link)}.`,
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`)),
      ms,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
