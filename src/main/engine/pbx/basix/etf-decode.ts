// ETF decoder for Basix ws_cti frames: version byte 131, one term. Lenient in what it reads (every atom
// and float tag, bigints, maps), strict about bytes: every length is checked against what the frame holds
// before anything is allocated, nesting is capped, and any fault is an EtfDecodeError.
import { Atom, Binary, ErlFloat, ErlMap, ErlString, ImproperList, Tuple, type Term } from './etf-terms';

export class EtfDecodeError extends Error {
  override name = 'EtfDecodeError';
  constructor(
    message: string,
    /** Byte offset in the frame where decoding failed. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

export const ETF_VERSION = 131;
/** Deeper than any Basix record (a record holds tuples two levels down); stops stack exhaustion. */
const MAX_DEPTH = 64;
/** Bytes of a bignum's magnitude: 2^2048 is far beyond any Basix value (µs timestamps need 7). */
const MAX_BIG_BYTES = 256;
/** Interned atom names: Basix repeats a few dozen; a hostile stream of distinct atoms cannot grow it. */
const MAX_INTERNED_ATOMS = 4_096;
const atoms = new Map<string, Atom>();

export function decodeTerm(frame: Uint8Array): Term {
  const reader = new Reader(frame);
  if (reader.length === 0) throw new EtfDecodeError('empty frame', 0);
  const version = reader.u8();
  if (version !== ETF_VERSION) {
    throw new EtfDecodeError(`expected the ETF version byte 131, got ${version}`, 0);
  }
  const term = reader.term(0);
  if (reader.offset !== reader.length) {
    throw new EtfDecodeError(`${reader.length - reader.offset} bytes after the term`, reader.offset);
  }
  return term;
}

class Reader {
  offset = 0;
  readonly length: number;
  private readonly buf: Buffer;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = this.buf.length;
  }

  term(depth: number): Term {
    if (depth > MAX_DEPTH) this.fail(`terms nested deeper than ${MAX_DEPTH}`);
    const at = this.offset;
    const tag = this.u8();
    switch (tag) {
      case 97:
        return this.u8();
      case 98:
        return this.take(4).readInt32BE(0);
      case 110:
        return this.big(this.u8());
      case 111:
        return this.big(this.u32());
      case 70:
        return new ErlFloat(this.take(8).readDoubleBE(0));
      case 99:
        return this.oldFloat();
      case 100:
        return this.atom(this.u16(), 'latin1');
      case 115:
        return this.atom(this.u8(), 'latin1');
      case 118:
        return this.atom(this.u16(), 'utf8');
      case 119:
        return this.atom(this.u8(), 'utf8');
      case 104:
        return new Tuple(this.items(this.u8(), depth));
      case 105:
        return new Tuple(this.items(this.u32(), depth));
      case 106:
        return [];
      case 107:
        return new ErlString(this.take(this.u16()).toString('latin1'));
      case 108:
        return this.list(depth);
      case 109:
        return new Binary(this.take(this.u32()));
      case 116:
        return this.map(depth);
      case 80:
        return this.fail('compressed terms are not supported', at);
      default:
        return this.fail(`unsupported ETF tag ${tag}`, at);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }

  private u16(): number {
    return this.take(2).readUInt16BE(0);
  }

  private u32(): number {
    return this.take(4).readUInt32BE(0);
  }

  private take(count: number): Buffer {
    this.need(count);
    const slice = this.buf.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  private need(count: number): void {
    if (this.length - this.offset < count) {
      this.fail(`frame ends early: ${count} bytes needed, ${this.length - this.offset} left`);
    }
  }

  /** `count` terms follow; each takes at least one byte, so a count beyond the frame is refused up front. */
  private items(count: number, depth: number): Term[] {
    this.need(count);
    const items = new Array<Term>(count);
    for (let i = 0; i < count; i++) items[i] = this.term(depth + 1);
    return items;
  }

  private list(depth: number): Term {
    const items = this.items(this.u32(), depth);
    const tail = this.term(depth + 1);
    if (Array.isArray(tail) && tail.length === 0) return items;
    return new ImproperList(items, tail);
  }

  private map(depth: number): ErlMap {
    const arity = this.u32();
    this.need(arity * 2);
    const entries: [Term, Term][] = [];
    for (let i = 0; i < arity; i++) entries.push([this.term(depth + 1), this.term(depth + 1)]);
    return new ErlMap(entries);
  }

  private atom(length: number, encoding: 'latin1' | 'utf8'): Atom {
    const name = this.take(length).toString(encoding);
    let interned = atoms.get(name);
    if (!interned) {
      interned = new Atom(name);
      if (atoms.size < MAX_INTERNED_ATOMS) atoms.set(name, interned);
    }
    return interned;
  }

  private big(size: number): number | bigint {
    const at = this.offset;
    if (size > MAX_BIG_BYTES) this.fail(`integer of ${size} bytes is too large`, at);
    const sign = this.u8();
    const digits = this.take(size);
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(digits[i]!);
    if (sign !== 0) value = -value;
    return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
  }

  private oldFloat(): ErlFloat {
    const at = this.offset;
    const text = this.take(31).toString('latin1').replace(/\0+$/, '').trim();
    const value = Number(text);
    if (text === '' || Number.isNaN(value)) this.fail('FLOAT_EXT holds no number', at);
    return new ErlFloat(value);
  }

  private fail(message: string, at = this.offset): never {
    throw new EtfDecodeError(message, at);
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
