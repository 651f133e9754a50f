import * as z from 'zod';

// The Patriot Autodialler API: JSON text frames `{type, payload?}` (Patriot Systems' "Autodialler API Protocol" document).

/** Upper bounds on inbound strings; the frame itself is bounded by `maxPayloadBytes`. */
export const LIMITS = {
  requestId: 128,
  apiKey: 256,
  userName: 128,
  phoneNo: 64,
  rawPhoneNo: 128,
  callerId: 128,
  error: 1_024,
} as const;

const text = (max: number) => z.string().max(max);

/** `init-request` payload is server-specific JSON; we read the key as `apiKey` or `password`, and `userName`. */
export interface InitCredentials {
  /** null when absent, not a string, empty or longer than an API key can be. */
  apiKey: string | null;
  userName: string | null;
  /** Keys present in the payload (never values), for a debug line when the key is missing. */
  fields: string[];
}

function readInitCredentials(payload: Record<string, unknown>): InitCredentials {
  const credential = typeof payload.apiKey === 'string' ? payload.apiKey : payload.password;
  const apiKey =
    typeof credential === 'string' && credential.length > 0 && credential.length <= LIMITS.apiKey
      ? credential
      : null;
  const userName =
    typeof payload.userName === 'string' && payload.userName.length <= LIMITS.userName
      ? payload.userName
      : null;
  return { apiKey, userName, fields: Object.keys(payload).slice(0, 16) };
}

const authenticationRequest = z.object({
  type: z.literal('authentication-request'),
  payload: z.object({ requestId: text(LIMITS.requestId).optional(), apiKey: text(LIMITS.apiKey) }),
});

const authenticationResponse = z.object({
  type: z.literal('authentication-response'),
  payload: z.object({
    requestId: text(LIMITS.requestId).default(''),
    success: z.boolean(),
    error: text(LIMITS.error).optional(),
  }),
});

const initRequest = z.object({
  type: z.literal('init-request'),
  payload: z.record(z.string(), z.unknown()).default({}).transform(readInitCredentials),
});

const initResponse = z.object({
  type: z.literal('init-response'),
  payload: z.object({ success: z.boolean(), error: text(LIMITS.error).optional() }),
});

const dialRequest = z.object({
  type: z.literal('dial-request'),
  payload: z.object({ phoneNo: text(LIMITS.phoneNo), rawPhoneNo: text(LIMITS.rawPhoneNo).optional() }),
});

const hangupRequest = z.object({ type: z.literal('hangup-request') });
const callStatusRequest = z.object({ type: z.literal('call-status-request') });

const callStatusUpdate = z.object({
  type: z.literal('call-status-update'),
  payload: z.object({
    callActive: z.boolean(),
    outbound: z.boolean().optional(),
    callerId: text(LIMITS.callerId).optional(),
  }),
});

const heartbeat = z.object({ type: z.literal('heartbeat') });
const heartbeatResponse = z.object({ type: z.literal('heartbeat-response') });

export const patriotMessageSchema = z.discriminatedUnion('type', [
  authenticationRequest,
  authenticationResponse,
  initRequest,
  initResponse,
  dialRequest,
  hangupRequest,
  callStatusRequest,
  callStatusUpdate,
  heartbeat,
  heartbeatResponse,
]);

/** A validated inbound message (init-request carries the credentials read from its payload). */
export type PatriotMessage = z.output<typeof patriotMessageSchema>;
export type PatriotMessageType = PatriotMessage['type'];
/** What goes on the wire when we send (init-request carries its raw, server-specific payload). */
export type PatriotFrame = z.input<typeof patriotMessageSchema>;

export const PATRIOT_MESSAGE_TYPES: readonly PatriotMessageType[] = patriotMessageSchema.options.map(
  (option) => option.shape.type.value,
);

export type ParseResult =
  | { ok: true; message: PatriotMessage }
  /** `type`: the frame's message type when it had one (a malformed dial-request still gets an answer). */
  | { ok: false; reason: string; type?: string };

/** ws delivers Buffer, ArrayBuffer or Buffer[] (fragmented); tests may pass a string. */
export type FrameData = Buffer | ArrayBuffer | Buffer[] | string;

function frameText(data: FrameData): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * Parses one frame. Never throws; `reason` is for a debug log line and never quotes the frame
 * (frames may carry an API key).
 */
const SCHEMA_BY_TYPE = new Map<string, z.ZodType>(
  patriotMessageSchema.options.map((option) => [option.shape.type.value, option]),
);

/** The string limit a member of a zod object imposes, when it is nothing but `z.string().max(n)`; else null. */
function plainMaxLength(schema: z.ZodType | undefined): number | null {
  if (!(schema instanceof z.ZodString)) return null;
  const checks = schema._zod.def.checks ?? [];
  if (checks.length !== 1) return null;
  const check = checks[0]!._zod.def as { check?: string; maximum?: unknown };
  return check.check === 'max_length' && typeof check.maximum === 'number' ? check.maximum : null;
}

/**
 * The limits of the dial-request schema, read from it (zod stays their single source). null when the
 * schema grew anything the fast path does not know, which then turns the fast path off.
 */
export const DIAL_REQUEST_FAST_LIMITS = ((): { phoneNo: number; rawPhoneNo: number } | null => {
  const payload = dialRequest.shape.payload;
  if (!(payload instanceof z.ZodObject) || payload._zod.def.catchall !== undefined) return null;
  const keys = Object.keys(payload.shape);
  if (keys.length !== 2 || keys[0] !== 'phoneNo' || keys[1] !== 'rawPhoneNo') return null;
  const raw = payload.shape.rawPhoneNo;
  if (!(raw instanceof z.ZodOptional)) return null;
  const phoneNo = plainMaxLength(payload.shape.phoneNo);
  const rawPhoneNo = plainMaxLength(raw.unwrap() as z.ZodType);
  if (dialRequest._zod.def.catchall !== undefined || Object.keys(dialRequest.shape).length !== 2) return null;
  return phoneNo === null || rawPhoneNo === null ? null : { phoneNo, rawPhoneNo };
})();

/**
 * zod's `max` for strings: Unicode code points (a surrogate pair is one, a lone surrogate one). A string
 * that fits in UTF-16 units fits in code points, so only an overflow is counted.
 */
function fitsMax(text: string, max: number): boolean {
  let length = text.length;
  if (length <= max) return true;
  for (let i = 0; i < text.length - 1 && length > max; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length--;
      i++;
    }
  }
  return length <= max;
}

type DialRequestMessage = Extract<PatriotMessage, { type: 'dial-request' }>;

/**
 * The hot path: a hand-checked dial-request, with exactly the schema's checks and the value zod would
 * return (unknown keys dropped). null when the value is not one it accepts: the caller asks zod, whose
 * answer (and reason) then stands. Property-tested against the schema.
 */
export function fastDialRequest(value: unknown): DialRequestMessage | null {
  const limits = DIAL_REQUEST_FAST_LIMITS;
  if (limits === null || value === null || typeof value !== 'object') return null;
  const frame = value as { type?: unknown; payload?: unknown };
  if (frame.type !== 'dial-request') return null;
  const payload = frame.payload as { phoneNo?: unknown; rawPhoneNo?: unknown } | null | undefined;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const { phoneNo, rawPhoneNo } = payload;
  if (typeof phoneNo !== 'string' || !fitsMax(phoneNo, limits.phoneNo)) return null;
  if (rawPhoneNo === undefined) {
    // zod keeps a key that is present but undefined (not possible from JSON, kept for exactness).
    return {
      type: 'dial-request',
      payload: 'rawPhoneNo' in payload ? { phoneNo, rawPhoneNo } : { phoneNo },
    };
  }
  if (typeof rawPhoneNo !== 'string' || !fitsMax(rawPhoneNo, limits.rawPhoneNo)) return null;
  return { type: 'dial-request', payload: { phoneNo, rawPhoneNo } };
}

export function parsePatriotFrame(data: FrameData, isBinary: boolean): ParseResult {
  if (isBinary) return { ok: false, reason: 'binary frame (the API uses JSON text frames)' };
  const raw = frameText(data);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: `not valid JSON (${raw.length} characters)` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object (expected {"type": …})' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, reason: 'no "type" string' };
  if (type === 'dial-request') {
    const dial = fastDialRequest(value);
    if (dial) return { ok: true, message: dial };
  }
  const schema = SCHEMA_BY_TYPE.get(type);
  if (!schema) return { ok: false, reason: `unknown message type ${JSON.stringify(type.slice(0, 40))}` };
  // The member schema of the union, chosen by type: the same checks, a shorter path per frame.
  const parsed = schema.safeParse(value) as z.ZodSafeParseResult<PatriotMessage>;
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`);
    return { ok: false, reason: `${type}: ${issues.join('; ')}`, type };
  }
  return { ok: true, message: parsed.data };
}

export function encodeFrame(frame: PatriotFrame): string {
  return JSON.stringify(frame);
}
