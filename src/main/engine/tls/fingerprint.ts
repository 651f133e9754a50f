/** "aa:bb…", "AABB…" and "aa bb …" all become "AA:BB:…" (the form Node and Windows show). */
export function normalizeFingerprint256(value: string): string {
  const hex = value.replace(/[\s:]/g, '').toUpperCase();
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

export function fingerprintsEqual(a: string, b: string): boolean {
  return normalizeFingerprint256(a) === normalizeFingerprint256(b);
}
