// REST click-to-call: POST <url>/basix/api/call_user {user_name, destination} with Basic auth →
// {"result_code":0,"uuids":[…]} (the operator's leg uuids) or {"result_code":n,"error":{"id":…}}.
// node:https rather than fetch: fetch cannot take a per-request CA (the profile's caFile) without the
// undici package, and this is one small request.
import http from 'node:http';
import https from 'node:https';
import { PbxError } from '../adapter';
import { describeSocketError } from '../common/socket-errors';
import { safeHost } from '../common/tls-options';
import { basicAuth, restUrl, type BasixEndpointProfile } from './endpoints';

export interface CallUserRequest {
  profile: Pick<BasixEndpointProfile, 'url' | 'domain' | 'token' | 'userName'>;
  destination: string;
  ca?: string;
  rejectUnauthorized: boolean;
  timeoutMs: number;
}

/** The largest reply body read: a call_user answer is a few hundred bytes. */
const MAX_REPLY_BYTES = 64 * 1024;

/** Resolves with the operator's leg uuids; rejects with an operator-facing PbxError. */
export async function callUser(request: CallUserRequest): Promise<string[]> {
  const { status, body } = await post(request, {
    user_name: request.profile.userName,
    destination: request.destination,
  });
  const where = safeHost(request.profile.url, 'the Basix server');
  if (status === 401 || status === 403) {
    throw new PbxError(
      'auth-failed',
      `Basix refused the API token for the call (HTTP ${status}). Check "domain" and "token" in the profile.`,
    );
  }
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    if (status >= 400)
      throw new PbxError('failed', `Basix at ${where} answered the call with HTTP ${status}.`);
    throw new PbxError('failed', `Basix at ${where} answered the call with something that is not JSON.`);
  }
  const {
    result_code: code,
    uuids,
    error,
  } = (reply ?? {}) as {
    result_code?: unknown;
    uuids?: unknown;
    error?: { id?: unknown };
  };
  if (code === 0 && status < 400) {
    return Array.isArray(uuids) ? uuids.filter((uuid): uuid is string => typeof uuid === 'string') : [];
  }
  throw callUserError(typeof error?.id === 'string' ? error.id : undefined, code, status, request);
}

/** A refused call_user in plain words, keeping Basix's error id for the support desk. */
export function callUserError(
  id: string | undefined,
  code: unknown,
  status: number,
  request: Pick<CallUserRequest, 'profile' | 'destination'>,
): PbxError {
  const said = id ? ` (Basix error "${id}")` : ` (result_code ${String(code)}, HTTP ${status})`;
  switch (id) {
    case 'authentication_required':
    case 'authentication_failed':
    case 'invalid_token':
      return new PbxError('auth-failed', `Basix did not accept the domain and API token${said}.`);
    case 'user_not_found':
    case 'invalid_user':
    case 'invalid_user_name':
      return new PbxError(
        'rejected',
        `Basix does not know the user "${request.profile.userName}"${said}. Check "userName".`,
      );
    case 'invalid_destination':
    case 'destination_not_found':
      return new PbxError('rejected', `Basix cannot call ${request.destination}${said}.`);
    default: {
      const words = id ? id.replaceAll('_', ' ') : 'no reason given';
      return new PbxError('rejected', `Basix refused the call to ${request.destination}: ${words}${said}.`);
    }
  }
}

function post(request: CallUserRequest, payload: object): Promise<{ status: number; body: string }> {
  const url = new URL(restUrl(request.profile, 'call_user'));
  const body = JSON.stringify(payload);
  const where = url.host;
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          Authorization: basicAuth(request.profile),
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Accept: 'application/json',
        },
        ...(url.protocol === 'https:'
          ? { ca: request.ca, rejectUnauthorized: request.rejectUnauthorized }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            req.destroy(new Error(`a reply larger than ${MAX_REPLY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => reject(new PbxError('failed', describeSocketError(error, where))));
      },
    );
    // A bound on the whole exchange (http's own `timeout` is per idle socket).
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
      request.timeoutMs,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => {
      const timedOut = (error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
      reject(
        timedOut
          ? new PbxError('timeout', `Basix did not answer the call request within ${request.timeoutMs} ms.`)
          : new PbxError('failed', describeSocketError(error, where)),
      );
    });
    req.end(body);
  });
}
