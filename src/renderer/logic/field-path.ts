/** Reads a dotted path ("dialRules.outsideLinePrefix") from nested plain objects. */
export function valueAtPath(source: Record<string, unknown>, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A copy of `target` with `path` set (or removed when `value` is undefined); shared parts are copied, not mutated. */
export function withValueAtPath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return target;
  const copy = { ...target };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const childObject =
    child !== null && typeof child === 'object' && !Array.isArray(child)
      ? (child as Record<string, unknown>)
      : {};
  copy[head] = withValueAtPath(childObject, rest.join('.'), value);
  return copy;
}
