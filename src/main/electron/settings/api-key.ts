/** Enough to recognise a key, never the key: "••••••••3F9A". */
export function apiKeyHint(key: string): string {
  return `••••••••${key.slice(-4)}`;
}
