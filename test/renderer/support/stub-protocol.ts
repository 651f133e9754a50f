// What the browser-side DiallerApi stub (fixtures/dialler-stub.ts) and the Node-side tests agree on.
// Types only: compiled into the stub for the browser and used by the tests in Node.
import type { BridgeNotice, BridgeSnapshot, CallLogEntry } from '../../../src/shared/bridge-types';
import type { CertificateInfo, DiallerApi, SettingsView } from '../../../src/shared/ipc-contract';
import type { SiteCheckReport, SiteCheckStep } from '../../../src/shared/site-check';

export type ApiMethod = keyof DiallerApi;

/** Canned results for the stub's request methods (subscriptions are not canned). */
export type StubResponses = {
  [K in Exclude<ApiMethod, 'onSnapshot' | 'onNotice' | 'onSiteCheckProgress'>]?: Awaited<
    ReturnType<DiallerApi[K]>
  >;
};

export interface StubConfig {
  snapshot: BridgeSnapshot;
  settings: SettingsView;
  recentCalls: CallLogEntry[];
  certificate: CertificateInfo;
  responses?: StubResponses;
}

/** One call the window made, with its arguments as sent. */
export interface StubCall {
  method: ApiMethod;
  args: unknown[];
}

/** The test hook the stub installs as `window.__test`. */
export interface DiallerTestHook {
  calls: StubCall[];
  /** CSP violations seen by a `securitypolicyviolation` listener, as "directive blocked-uri". */
  cspViolations: string[];
  pushSnapshot(snapshot: BridgeSnapshot): void;
  pushNotice(notice: BridgeNotice): void;
  setRecentCalls(entries: CallLogEntry[]): void;
  setSettings(settings: SettingsView): void;
  setResponses(responses: StubResponses): void;
  listenerCounts(): { snapshot: number; notice: number };
  /** Progress of a running site check, as main pushes it. */
  pushSiteCheckProgress(steps: SiteCheckStep[]): void;
  /** Ends the running site check (when `responses.runSiteCheck` is not canned, runSiteCheck waits for this). */
  finishSiteCheck(report: SiteCheckReport): void;
}

export interface StubGlobal {
  __test: DiallerTestHook;
  __installDiallerStub(config: StubConfig): void;
}
