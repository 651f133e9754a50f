/**
 * Phone-number patterns of the config: digits, "*" (any run of characters, also none) and "?" (exactly
 * one character). "0900*" matches every number starting 0900; "*86" every number ending 86.
 */
export function matchesNumberPattern(number: string, pattern: string): boolean {
  let n = 0;
  let p = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < number.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === number[n])) {
      n += 1;
      p += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      starAt = p;
      resumeAt = n;
      p += 1;
    } else if (starAt !== -1) {
      p = starAt + 1;
      resumeAt += 1;
      n = resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

export function firstMatchingPattern(number: string, patterns: readonly string[]): string | null {
  return patterns.find((pattern) => matchesNumberPattern(number, pattern)) ?? null;
}
