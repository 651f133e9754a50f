/**
 * VIPTel's reply codes (API 1.0.8, "Zoznam odpovedí"), each with what it means for the adapter and the
 * words the operator sees. The server's own `message` text tells apart replies that share a code.
 */

/** What the adapter does with a reply. */
export type ReplyEffect =
  | 'greeting' // 100: carries the nonce; log in now
  | 'bye' // 110 Bye: logout confirmed
  | 'closing' // 110 Closing connection: the server closes; the reason came just before
  | 'logged-in' // 202
  | 'invalid-request' // 400: fails the request
  | 'auth-failed' // 401 wrong credentials / user not activated: stop, retry only slowly
  | 'not-logged-in' // 401 before login: the session is not valid, log in again on a new connection
  | 'forbidden' // 403: fails the request
  | 'call-not-found' // 404 Call not found: the call is already gone
  | 'unknown-action' // 404 Missing / Unknown action: fails the request
  | 'login-timeout' // 408: the server closes; reconnect
  | 'server-error' // 500 closing connection: reconnect
  | 'action-failed' // 500 Action failed: fails the request
  | 'pbx-unreachable' // 503 Unable to connect to PBX / 504: fails the request, reconnect
  | 'restarting' // 503 Server is restarting: reconnect and log in again
  | 'informational'; // a non-error code the spec does not list (e.g. a success reply of a newer API)

export interface ReplyCode {
  code: number;
  /** The server's message, as the spec writes it. */
  message: string;
  effect: ReplyEffect;
  /** Operator-facing explanation. */
  explanation: string;
}

export const REPLY_CODES: readonly ReplyCode[] = [
  {
    code: 100,
    message:
      'Send your username and password hash in action user.login and use this nonce to generate password hash',
    effect: 'greeting',
    explanation: 'Connected to the VIPTel server; logging in.',
  },
  { code: 110, message: 'Bye', effect: 'bye', explanation: 'Logged out of the VIPTel server.' },
  {
    code: 110,
    message: 'Closing connection, bye',
    effect: 'closing',
    explanation: 'The VIPTel server closed the connection.',
  },
  // "successfull" is the server's spelling.
  { code: 202, message: 'Login successfull', effect: 'logged-in', explanation: 'Logged in to VIPTel.' },
  {
    code: 400,
    message: 'Action has to be string',
    effect: 'invalid-request',
    explanation: 'The VIPTel server did not understand the request (a fault in Dialler Bridge).',
  },
  {
    code: 400,
    message: 'Inserted values are not valid',
    effect: 'invalid-request',
    explanation: 'The VIPTel server rejected the values sent (for example the number).',
  },
  {
    code: 401,
    message: 'User is not activated',
    effect: 'auth-failed',
    explanation: 'The VIPTel API user is not activated yet. Ask VIPTel to activate it.',
  },
  {
    code: 401,
    message: 'Wrong username and/or password',
    effect: 'auth-failed',
    explanation: 'VIPTel refused the username or password. Check them in the profile.',
  },
  {
    code: 401,
    message: 'You have to login with action: user.login, username and password',
    effect: 'not-logged-in',
    explanation: 'The VIPTel server says this connection is not logged in; logging in again.',
  },
  {
    code: 403,
    message: 'You are not allowed to use this action',
    effect: 'forbidden',
    explanation: 'This VIPTel API user lacks the permission for this action. Ask VIPTel to grant it.',
  },
  {
    code: 404,
    message: 'Missing action',
    effect: 'unknown-action',
    explanation: 'The VIPTel server received a request without an action (a fault in Dialler Bridge).',
  },
  {
    code: 404,
    message: 'Call not found',
    effect: 'call-not-found',
    explanation: 'The call no longer exists on the VIPTel PBX (or it began before this login).',
  },
  {
    code: 404,
    message: 'Unknown action',
    effect: 'unknown-action',
    explanation: 'The VIPTel server does not offer this action (a different API version?).',
  },
  {
    code: 408,
    message: 'Login timeout',
    effect: 'login-timeout',
    explanation: 'Logging in to VIPTel took too long and the server closed the connection.',
  },
  {
    code: 500,
    message: 'An unexpected error has occurred, closing connection',
    effect: 'server-error',
    explanation: 'The VIPTel server had an unexpected error and closed the connection.',
  },
  {
    code: 500,
    message: 'Action failed',
    effect: 'action-failed',
    explanation: 'The VIPTel PBX could not carry out the action (a PBX problem or a wrong number).',
  },
  {
    code: 503,
    message: 'Unable to connect to PBX',
    effect: 'pbx-unreachable',
    explanation: 'The VIPTel server cannot reach the PBX.',
  },
  {
    code: 503,
    message: 'Server is restarting, please reconnect',
    effect: 'restarting',
    explanation: 'The VIPTel server is restarting.',
  },
  {
    code: 504,
    message: 'Can not connect to PBX, try your action again later',
    effect: 'pbx-unreachable',
    explanation: 'The VIPTel server cannot reach the PBX right now and keeps trying.',
  },
];

const byCodeAndMessage = new Map(REPLY_CODES.map((reply) => [replyKey(reply.code, reply.message), reply]));

/** Per code, what a reply with unfamiliar wording most likely means (wording may vary, spec says). */
const FALLBACK_BY_CODE: Readonly<Record<number, ReplyEffect>> = {
  100: 'greeting',
  110: 'closing',
  202: 'logged-in',
  400: 'invalid-request',
  401: 'auth-failed',
  403: 'forbidden',
  404: 'unknown-action',
  408: 'login-timeout',
  500: 'action-failed',
  503: 'pbx-unreachable',
  504: 'pbx-unreachable',
};

function replyKey(code: number, message: string): string {
  return `${code} ${message.trim().toLowerCase()}`;
}

/** The table entry for a reply; unfamiliar replies get the code's usual effect and the server's words. */
export function describeReply(code: number, message: unknown): ReplyCode {
  const text = typeof message === 'string' ? message : '';
  const known = byCodeAndMessage.get(replyKey(code, text));
  if (known) return known;
  // 401 "login" wording means "not logged in yet"; other 401s are credential failures.
  const effect: ReplyEffect =
    code === 401 && /have to login/i.test(text)
      ? 'not-logged-in'
      : code === 503 && /restart/i.test(text)
        ? 'restarting'
        : code === 500 && /closing/i.test(text)
          ? 'server-error'
          : (FALLBACK_BY_CODE[code] ?? (code >= 400 ? 'action-failed' : 'informational'));
  return {
    code,
    message: text,
    effect,
    explanation: `The VIPTel server replied ${code}${text ? `: ${text}` : ''}.`,
  };
}
