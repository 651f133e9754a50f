// DCP messages as plain JSON objects, read through the profile's field names.
import type { HarmonyProtocol } from './profile';

export type Message = Record<string, unknown>;

/** The JSON object in a frame's content, or null (not JSON, not an object). */
export function parseMessage(content: Buffer): Message | null {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dot path ("data.interaction.ani"), or undefined. */
export function atPath(message: unknown, path: string): unknown {
  let value: unknown = message;
  for (const key of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Reads a message's envelope through the profile's field names. Command names are trimmed (doc typos). */
export class Envelope {
  constructor(private readonly protocol: HarmonyProtocol) {}

  private get f(): HarmonyProtocol['fields'] {
    return this.protocol.fields;
  }

  messageType(message: Message): string | undefined {
    return text(message[this.f.messageType])?.trim();
  }
  requestId(message: Message): string | undefined {
    return text(message[this.f.requestId]);
  }
  command(message: Message): string | undefined {
    return text(message[this.f.command])?.trim();
  }
  result(message: Message): string | undefined {
    return text(message[this.f.result])?.trim().toLowerCase();
  }
  target(message: Message): string | undefined {
    return text(message[this.f.target]);
  }
  name(message: Message): string | undefined {
    return text(message[this.f.name])?.trim();
  }
  data(message: Message): Message {
    const data = message[this.f.data];
    return isObject(data) ? data : {};
  }
}

/** `failure.message` (or code) of a failure response, for the operator. */
export function failureText(message: Message): string | undefined {
  const failure = message.failure;
  if (isObject(failure)) return text(failure.message) ?? text(failure.code);
  return text(message.message);
}

/** Segments of a dot-separated target path; the first is always the session id. */
export function segments(target: string | undefined): string[] {
  return target ? target.split('.') : [];
}
