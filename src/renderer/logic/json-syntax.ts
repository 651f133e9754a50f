// Finds where JSON text first goes wrong, the same in every engine (V8's messages differ by version).

export interface JsonSyntaxError {
  offset: number;
  reason: string;
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// Control characters must be escaped inside JSON strings.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const fail = (reason: string): never => {
    throw { offset: at, reason } satisfies JsonSyntaxError;
  };
  const skip = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const unexpected = () =>
    fail(at >= text.length ? 'unexpected end of the text' : `unexpected ${JSON.stringify(text[at])}`);
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    at = pattern.lastIndex;
    return true;
  };
  const expect = (char: string, what: string) => {
    skip();
    if (text[at] !== char) fail(`expected ${what}`);
    at++;
  };

  const value = (depth: number): void => {
    skip();
    if (depth > 512) fail('nested too deeply');
    const char = text[at];
    if (char === '{')
      return members('}', () => {
        skip();
        if (!match(STRING)) fail('expected a "quoted" key');
        expect(':', '":" after the key');
        value(depth + 1);
      });
    if (char === '[') return members(']', () => value(depth + 1));
    if (char === '"') return void (match(STRING) || fail('bad string (a missing " or a bad \\ escape)'));
    if (match(NUMBER)) return;
    const word = LITERALS.find((literal) => text.startsWith(literal, at));
    if (word) at += word.length;
    else unexpected();
  };
  const members = (close: string, member: () => void): void => {
    at++;
    skip();
    if (text[at] === close) return void at++;
    for (;;) {
      member();
      skip();
      if (text[at] === close) return void at++;
      if (text[at] !== ',') fail(`expected "," or "${close}"`);
      at++;
    }
  };

  try {
    value(0);
    skip();
    if (at < text.length) fail('unexpected text after the end');
    return null;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as JsonSyntaxError;
    throw error;
  }
}
