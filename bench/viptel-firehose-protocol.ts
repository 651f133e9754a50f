/** IPC messages between bench/viptel-filter.ts and its simulator child, bench/viptel-firehose-server.ts. */

export type FirehoseRequest =
  | { type: 'prepare'; count: number; extension: string }
  /** The prepared stream (when `foreign`) followed by `tail`, to one connection. */
  | { type: 'send'; to: number; foreign: boolean; tail: string[] }
  | { type: 'stop' };

export type FirehoseReport =
  | { type: 'ready'; url: string }
  | { type: 'prepared' }
  | { type: 'login'; connectionId: number; username: string }
  /** `ms`: how long the child took to hand the frames to the socket. */
  | { type: 'sent'; ms: number };

/** The bare client logs in as the first, the adapter as the second. */
export const FIREHOSE_USERS = [
  { username: 'bare', password: 'bench-bare-pass' },
  { username: 'adapter', password: 'bench-adapter-pass' },
] as const;
