// ETF encoder with exactly the tags the Basix server uses (reference: Brastel basix_ws_cti.js, whose
// decoder pins them down): atoms 100, char lists 107, binaries 109, small tuples 104, integers 97/98 and
// SMALL_BIG 110 beyond 32 bits, NIL 106, floats 70. The simulator speaks through it.
import { Atom, Binary, ErlFloat, ErlMap, ErlString, ImproperList, Tuple, type Term } from './etf-terms';
import { ETF_VERSION } from './etf-decode';

export class EtfEncodeError extends Error {
  override name = 'EtfEncodeError';
}

export function encodeTerm(term: Term): Buffer {
  const writer = new Writer();
  writer.u8(ETF_VERSION);
  writer.term(term);
  return writer.result();
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

class Writer {
  private buf = Buffer.allocUnsafe(256);
  private offset = 0;

  result(): Buffer {
    return this.buf.subarray(0, this.offset);
  }

  term(term: Term): void {
    if (typeof term === 'number') this.integer(term);
    else if (typeof term === 'bigint') this.bigint(term);
    else if (term instanceof Atom) this.atom(term.name);
    else if (term instanceof Tuple) this.tuple(term.items);
    else if (term instanceof ErlString) this.string(term.value);
    else if (term instanceof Binary) this.binary(term.bytes);
    else if (term instanceof ErlFloat) this.float(term.value);
    else if (term instanceof ErlMap) this.map(term);
    else if (term instanceof ImproperList) this.list(term.items, term.tail);
    else if (Array.isArray(term)) this.list(term as readonly Term[], null);
    else throw new EtfEncodeError(`not an ETF term: ${String(term)}`);
  }

  u8(value: number): void {
    this.room(1);
    this.buf[this.offset++] = value;
  }

  private u16(value: number): void {
    this.room(2);
    this.offset = this.buf.writeUInt16BE(value, this.offset);
  }

  private u32(value: number): void {
    this.room(4);
    this.offset = this.buf.writeUInt32BE(value, this.offset);
  }

  private bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  private room(count: number): void {
    if (this.offset + count <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.offset + count));
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  private integer(value: number): void {
    if (!Number.isInteger(value)) throw new EtfEncodeError(`${value} is not an integer (use ErlFloat)`);
    if (value >= 0 && value <= 255) {
      this.u8(97);
      this.u8(value);
    } else if (value >= INT32_MIN && value <= INT32_MAX) {
      this.u8(98);
      this.room(4);
      this.offset = this.buf.writeInt32BE(value, this.offset);
    } else {
      this.bigint(BigInt(value));
    }
  }

  private bigint(value: bigint): void {
    if (value >= BigInt(INT32_MIN) && value <= BigInt(INT32_MAX)) {
      this.integer(Number(value));
      return;
    }
    let magnitude = value < 0n ? -value : value;
    const digits: number[] = [];
    while (magnitude > 0n) {
      digits.push(Number(magnitude & 0xffn));
      magnitude >>= 8n;
    }
    if (digits.length <= 255) {
      this.u8(110);
      this.u8(digits.length);
    } else {
      this.u8(111);
      this.u32(digits.length);
    }
    this.u8(value < 0n ? 1 : 0);
    this.bytes(Uint8Array.from(digits));
  }

  private float(value: number): void {
    this.u8(70);
    this.room(8);
    this.offset = this.buf.writeDoubleBE(value, this.offset);
  }

  private atom(name: string): void {
    const latin1 = isLatin1(name);
    const bytes = Buffer.from(name, latin1 ? 'latin1' : 'utf8');
    if (bytes.length > 65_535) throw new EtfEncodeError('atom name longer than 65535 bytes');
    // ATOM_EXT as Basix sends; a name beyond Latin-1 can only be ATOM_UTF8_EXT.
    this.u8(latin1 ? 100 : 118);
    this.u16(bytes.length);
    this.bytes(bytes);
  }

  private tuple(items: readonly Term[]): void {
    if (items.length <= 255) {
      this.u8(104);
      this.u8(items.length);
    } else {
      this.u8(105);
      this.u32(items.length);
    }
    for (const item of items) this.term(item);
  }

  private string(value: string): void {
    if (value.length === 0) {
      this.u8(106);
      return;
    }
    if (value.length <= 65_535 && isLatin1(value)) {
      this.u8(107);
      this.u16(value.length);
      this.bytes(Buffer.from(value, 'latin1'));
      return;
    }
    // Erlang's own fallback: a list of character codes.
    this.list(
      Array.from(value, (char) => char.codePointAt(0)!),
      null,
    );
  }

  private binary(bytes: Uint8Array): void {
    this.u8(109);
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  /** `tail` null: a proper list (NIL tail). */
  private list(items: readonly Term[], tail: Term | null): void {
    if (items.length > 0) {
      this.u8(108);
      this.u32(items.length);
      for (const item of items) this.term(item);
    }
    if (tail === null) this.u8(106);
    else this.term(tail);
  }

  private map(map: ErlMap): void {
    this.u8(116);
    this.u32(map.entries.length);
    for (const [key, value] of map.entries) {
      this.term(key);
      this.term(value);
    }
  }
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 255) return false;
  return true;
}
