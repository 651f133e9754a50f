import type { DiallerApi } from '../shared/ipc-contract';

declare global {
  interface Window {
    /** Exposed by the preload; the only way the window talks to the bridge. */
    readonly dialler: DiallerApi;
  }
}
