import { isSecretKey } from '../log/redact';

/** Every secret value in a config (passwords, API keys, tokens), so the logger can scrub them anywhere. */
export function collectSecrets(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (isSecretKey(key)) {
        if (typeof inner === 'string') found.push(inner);
        else if (Array.isArray(inner)) found.push(...inner.filter((v): v is string => typeof v === 'string'));
      } else collectSecrets(inner, found);
    }
  }
  return found;
}
