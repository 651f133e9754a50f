import type { FieldErrors, PatriotSettings, PatriotSettingsInput } from '../../shared/ipc-contract';

export const PATRIOT_PATH = '/ws/dialler/v1';

/** Value for Patriot's WebSocketClientDiallerUrl setting. */
export function patriotDiallerUrl(port: number): string {
  return `wss://127.0.0.1:${port}${PATRIOT_PATH}`;
}

/** Value for Patriot's WebSocketClientDiallerConfig; the key itself is pasted by the user, never shown. */
export const PATRIOT_CONFIG_TEMPLATE = '{"userName":"patriot","password":"<API key>"}';

/** The Patriot section of the settings form, as typed. */
export interface PatriotDraft {
  mode: PatriotSettings['mode'];
  port: string;
  /** One origin per line. */
  allowedOrigins: string;
  connectUrl: string;
  /** Patriot's WebSocketApiKey as typed; empty keeps the stored one. Never filled from settings. */
  connectApiKey: string;
}

export function patriotDraftFrom(settings: PatriotSettings): PatriotDraft {
  return {
    mode: settings.mode,
    port: String(settings.port),
    allowedOrigins: settings.allowedOrigins.join('\n'),
    connectUrl: settings.connectUrl ?? '',
    connectApiKey: '',
  };
}

function originLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** Scheme, host and optional port only, as browsers send in the Origin header. */
function isOrigin(text: string): boolean {
  return parseUrl(text)?.origin === text;
}

export function checkPatriotDraft(draft: PatriotDraft): FieldErrors {
  const errors: FieldErrors = {};
  const port = Number(draft.port.trim());
  if (!draft.port.trim()) errors.port = 'Port is required.';
  else if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    errors.port = 'Port must be a whole number from 1 to 65535.';
  }
  const bad = originLines(draft.allowedOrigins).filter((line) => !isOrigin(line));
  if (bad.length > 0) {
    errors.allowedOrigins = `Not an origin: ${bad.join(', ')}. Use scheme and host only, such as https://ica.example.com`;
  }
  if (draft.mode === 'client') {
    const key = draft.connectApiKey.trim();
    if (key && (key.length < 8 || /\s/.test(key))) {
      errors.connectApiKey = 'Patriot’s key has at least 8 characters and no spaces.';
    }
    const url = draft.connectUrl.trim();
    if (!url) errors.connectUrl = 'Patriot address is required in this mode.';
    else if (!/^wss?:\/\/./.test(url) || !parseUrl(url)) {
      errors.connectUrl = 'Use a ws:// or wss:// address.';
    }
  }
  return errors;
}

export function patriotDraftToInput(draft: PatriotDraft): PatriotSettingsInput {
  const url = draft.connectUrl.trim();
  const key = draft.connectApiKey.trim();
  return {
    mode: draft.mode,
    port: Number(draft.port.trim()),
    allowedOrigins: originLines(draft.allowedOrigins),
    connectUrl: url ? url : null,
    // Only in client mode and only when typed: an omitted key is kept.
    ...(draft.mode === 'client' && key ? { connectApiKey: key } : {}),
  };
}
