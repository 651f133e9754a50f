/**
 * The frames the VIPTel simulator sends, word for word as API 1.0.8 lists them. Written out here on
 * purpose rather than shared with the adapter's table, so a typo on one side shows up in the tests.
 */

export const SIM_REPLIES = {
  greeting: {
    code: 100,
    message:
      'Send your username and password hash in action user.login and use this nonce to generate password hash',
  },
  bye: { code: 110, message: 'Bye' },
  closing: { code: 110, message: 'Closing connection, bye' },
  loggedIn: { code: 202, message: 'Login successfull' },
  actionNotString: { code: 400, message: 'Action has to be string' },
  invalidValues: { code: 400, message: 'Inserted values are not valid' },
  notActivated: { code: 401, message: 'User is not activated' },
  wrongCredentials: { code: 401, message: 'Wrong username and/or password' },
  loginFirst: { code: 401, message: 'You have to login with action: user.login, username and password' },
  forbidden: { code: 403, message: 'You are not allowed to use this action' },
  missingAction: { code: 404, message: 'Missing action' },
  callNotFound: { code: 404, message: 'Call not found' },
  unknownAction: { code: 404, message: 'Unknown action' },
  loginTimeout: { code: 408, message: 'Login timeout' },
  unexpectedError: { code: 500, message: 'An unexpected error has occurred, closing connection' },
  actionFailed: { code: 500, message: 'Action failed' },
  pbxUnreachable: { code: 503, message: 'Unable to connect to PBX' },
  restarting: { code: 503, message: 'Server is restarting, please reconnect' },
  pbxRetrying: { code: 504, message: 'Can not connect to PBX, try your action again later' },
} as const;

export interface SimReply {
  code: number;
  message: string;
  errors?: string[];
}

/** Where the greeting puts the nonce: the spec says "a field nonce" without showing the frame. */
export type GreetingShape = 'top-level' | 'nested' | 'without-nonce';

export function greetingFrame(nonce: string, shape: GreetingShape): Record<string, unknown> {
  if (shape === 'nested') return { ...SIM_REPLIES.greeting, data: { nonce } };
  if (shape === 'without-nonce') return { ...SIM_REPLIES.greeting };
  return { ...SIM_REPLIES.greeting, nonce };
}

export interface ForeignFrameOptions {
  /** Extensions that must never appear (the operator's). */
  exclude?: readonly string[];
  /** unique_id sequence numbers start here (keep them apart from real calls). */
  firstSequence?: number;
  /** unique_id prefix (the "epoch" part). */
  epoch?: number;
}

/**
 * `count` serialised events of a busy PBX that involve none of `exclude`: call.begin / pickup / end of
 * other extensions, other clients' call.create_response, and queue events.
 */
export function foreignEventFrames(count: number, options: ForeignFrameOptions = {}): string[] {
  const exclude = new Set(options.exclude ?? []);
  const epoch = options.epoch ?? Math.floor(Date.now() / 1_000);
  let sequence = options.firstSequence ?? 5_000_000;
  const frames: string[] = [];
  let extension = 7000;
  const nextExtension = (): string => {
    do extension = extension >= 7999 ? 7000 : extension + 1;
    while (exclude.has(String(extension)));
    return String(extension);
  };
  while (frames.length < count) {
    const uniqueId = `${epoch}.${sequence++}`;
    const caller = nextExtension();
    const callee = nextExtension();
    const cycle: object[] = [
      {
        event: 'call.begin',
        caller,
        caller_name: `Agent ${caller}`,
        callee,
        callee_name: `Agent ${callee}`,
        called_number: callee,
        unique_id: uniqueId,
      },
      { event: 'call.create_response', unique_id: uniqueId, call_random_id: `other${sequence}` },
      { event: 'call.pickup', unique_id: uniqueId },
      {
        event: 'queue.join',
        queue: 500,
        caller: `0905${String(sequence).padStart(6, '0')}`,
        caller_name: `0905${String(sequence).padStart(6, '0')}`,
        unique_id: `${epoch}.${sequence++}`,
        position: 1,
      },
      { event: 'queue.pause', queue: 500, member: callee },
      { event: 'call.end', unique_id: uniqueId, status: 'answer' },
    ];
    for (const frame of cycle) {
      if (frames.length >= count) break;
      frames.push(JSON.stringify(frame));
    }
  }
  return frames;
}
