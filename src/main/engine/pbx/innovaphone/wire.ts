// AppWebsocket / RCC messages as they travel on the wire, read tolerantly: the PBX's exact shapes are only
// partly documented (see README.md), so numbers may come as strings and optional fields may be missing.

/** Any parsed AppWebsocket message: a JSON object with a string `mt`. */
export type WireMessage = Record<string, unknown> & { mt: string };

export function parseWireMessage(text: string): WireMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  return typeof record.mt === 'string' ? (record as WireMessage) : null;
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An integer, also from a numeric string (seen: `cause:"16"` in innovaphone code). */
export function asInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** A user indication (RCC `UserInfo` from the PBX). */
export interface UserInfoRecord {
  guid?: string;
  cn?: string;
  dn?: string;
  e164?: string;
  h323?: string;
  /** `update:"del"`: the user was deleted or is no longer visible. */
  deleted: boolean;
  /** True for changes after the initial list (`update` present). */
  isUpdate: boolean;
}

export function readUserInfo(message: WireMessage): UserInfoRecord {
  const update = asString(message.update);
  return {
    guid: nonEmpty(message.guid),
    cn: nonEmpty(message.cn),
    dn: nonEmpty(message.dn),
    e164: nonEmpty(message.e164),
    h323: nonEmpty(message.h323),
    deleted: update === 'del',
    isUpdate: update !== undefined,
  };
}

/** A connector (`peer`, entries of `no`). */
export interface Connector {
  cn?: string;
  dn?: string;
  e164?: string;
  h323?: string;
}

export interface CallCause {
  value?: number;
  text?: string;
}

/** A call indication (RCC `CallInfo`). */
export interface CallInfoRecord {
  user?: number;
  call: number;
  state?: number;
  msg?: string;
  peer: Connector;
  cause?: CallCause;
  /** `del:true` (seen in innovaphone code; not in RCC.htm). */
  delFlag: boolean;
  /** SOAP's final CallInfo had `active:false`; RCC may or may not send it (unknown). */
  inactive: boolean;
}

export function readCallInfo(message: WireMessage): CallInfoRecord | null {
  const call = asInt(message.call);
  if (call === undefined) return null;
  return {
    user: asInt(message.user),
    call,
    state: asInt(message.state),
    msg: nonEmpty(message.msg),
    peer: readConnector(message.peer),
    cause: readCause(message.info),
    delFlag: message.del === true || message.del === 'true',
    inactive: message.active === false,
  };
}

function readConnector(value: unknown): Connector {
  if (value === null || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  return {
    cn: nonEmpty(record.cn),
    dn: nonEmpty(record.dn),
    e164: nonEmpty(record.e164),
    h323: nonEmpty(record.h323),
  };
}

/** The `{type:"cause", vali, vals}` entry of a CallInfo `info` array. */
function readCause(value: unknown): CallCause | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const entry of value as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const record = entry as Record<string, unknown>;
    if (record.type !== 'cause') continue;
    return { value: asInt(record.vali), text: nonEmpty(record.vals) };
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  const text = asString(value);
  return text === undefined || text === '' ? undefined : text;
}

/** The number to show for a connector: `e164 || h323 || dn`. */
export function connectorNumber(peer: Connector): string | null {
  return peer.e164 ?? peer.h323 ?? peer.dn ?? null;
}
