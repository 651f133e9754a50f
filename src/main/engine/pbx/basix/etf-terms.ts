// Erlang External Term Format terms as explicit classes, so the encoder can emit exactly the tags Basix
// uses (atom vs char list vs binary) and the decoder never loses which one the server sent.

/** ATOM_EXT 100 on encode; 100/115/118/119 on decode. */
export class Atom {
  constructor(readonly name: string) {}
}

/** SMALL_TUPLE_EXT 104 (LARGE_TUPLE_EXT 105 beyond 255 elements). */
export class Tuple {
  constructor(readonly items: readonly Term[]) {}
}

/** STRING_EXT 107: an Erlang char list of bytes 0–255 (Basix entity and event names). */
export class ErlString {
  constructor(readonly value: string) {}
}

/** BINARY_EXT 109: bytes; Basix puts UTF-8 text in them. */
export class Binary {
  constructor(readonly bytes: Uint8Array) {}

  static fromText(text: string): Binary {
    return new Binary(new TextEncoder().encode(text));
  }

  text(): string {
    return UTF8.decode(this.bytes);
  }
}

/** NEW_FLOAT_EXT 70 on encode; 70 and the old FLOAT_EXT 99 on decode. */
export class ErlFloat {
  constructor(readonly value: number) {}
}

/** MAP_EXT 116 (decode only in practice: the Basix server never sends maps). */
export class ErlMap {
  constructor(readonly entries: readonly (readonly [Term, Term])[]) {}
}

/** A list whose tail is not NIL (decoded leniently; never sent by Basix). */
export class ImproperList {
  constructor(
    readonly items: readonly Term[],
    readonly tail: Term,
  ) {}
}

/**
 * A decoded term. Integers are `number` when they fit in 2^53 and `bigint` beyond; a proper list (and NIL)
 * is a JS array.
 */
export type Term =
  number | bigint | Atom | Tuple | ErlString | Binary | ErlFloat | ErlMap | ImproperList | readonly Term[];

const UTF8 = new TextDecoder('utf-8');

export const atom = (name: string): Atom => new Atom(name);
export const tuple = (...items: Term[]): Tuple => new Tuple(items);
export const str = (value: string): ErlString => new ErlString(value);
export const bin = (text: string): Binary => Binary.fromText(text);
/** The atom Basix uses for "no value". */
export const UNDEFINED = atom('undefined');
