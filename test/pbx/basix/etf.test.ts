// The ETF codec: the byte-exact samples of Brastel's ws_cti (decoded through their own parser when they
// were recorded) as golden tests both ways, each tag, and properties over random terms and random bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EtfDecodeError, decodeTerm } from '../../../src/main/engine/pbx/basix/etf-decode';
import { encodeTerm } from '../../../src/main/engine/pbx/basix/etf-encode';
import {
  Atom,
  Binary,
  ErlFloat,
  ErlMap,
  ErlString,
  ImproperList,
  Tuple,
  atom,
  str,
  tuple,
  type Term,
} from '../../../src/main/engine/pbx/basix/etf-terms';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const GOLDEN: { name: string; term: Term; bytes: string }[] = [
  {
    name: '{field_spec, "group_member", [id,group_id,user_id,priority,login_status,role]}',
    term: tuple(
      atom('field_spec'),
      str('group_member'),
      ['id', 'group_id', 'user_id', 'priority', 'login_status', 'role'].map(atom),
    ),
    bytes:
      '83680364000a6669656c645f737065636b000c67726f75705f6d656d6265726c00000006640002696464000867726f75705f6964640007757365725f69646400087072696f7269747964000c6c6f67696e5f737461747573640004726f6c656a',
  },
  {
    name: '{initial_info, "group_member", {bert, nil}}',
    term: tuple(atom('initial_info'), str('group_member'), tuple(atom('bert'), atom('nil'))),
    bytes: '83680364000c696e697469616c5f696e666f6b000c67726f75705f6d656d6265726802640004626572746400036e696c',
  },
  {
    name: '{info_event, "group_member", {110001001,10001111,10001001,0,0,0}, "added"}',
    term: tuple(
      atom('info_event'),
      str('group_member'),
      tuple(110001001, 10001111, 10001001, 0, 0, 0),
      str('added'),
    ),
    bytes:
      '83680464000a696e666f5f6576656e746b000c67726f75705f6d656d626572680662068e7b696200989ad76200989a696100610061006b00056164646564',
  },
  {
    name: '{system_msg, connection_replaced}',
    term: tuple(atom('system_msg'), atom('connection_replaced')),
    bytes: '83680264000a73797374656d5f6d7367640013636f6e6e656374696f6e5f7265706c61636564',
  },
  {
    name: 'timestamp 1546839040024071 as SMALL_BIG_EXT',
    term: 1546839040024071,
    bytes: '83 6e 07 00 07 5e 81 87 d7 7e 05',
  },
];

describe('ETF golden samples (Basix ws_cti)', () => {
  it.each(GOLDEN)('encodes $name byte for byte', ({ term, bytes }) => {
    expect(encodeTerm(term).toString('hex')).toBe(hex(bytes).toString('hex'));
  });

  it.each(GOLDEN)('decodes $name to the same term', ({ term, bytes }) => {
    expect(normal(decodeTerm(hex(bytes)))).toEqual(normal(term));
  });

  it('keeps a char list, a binary and an atom apart', () => {
    const decoded = decodeTerm(encodeTerm([str('channel'), Binary.fromText('channel'), atom('channel')]));
    expect(decoded).toEqual([expect.any(ErlString), expect.any(Binary), expect.any(Atom)]);
  });
});

describe('ETF decode, lenient', () => {
  it('reads every atom tag: 100, 115, 118, 119 (UTF-8)', () => {
    expect(decodeTerm(hex('83 64 0002 6f6b'))).toEqual(atom('ok'));
    expect(decodeTerm(hex('83 73 02 6f6b'))).toEqual(atom('ok'));
    expect(decodeTerm(hex('83 76 0002 c3a9'))).toEqual(atom('é'));
    expect(decodeTerm(hex('83 77 02 c3a9'))).toEqual(atom('é'));
  });

  it('reads NEW_FLOAT_EXT 70 and the old 31-byte FLOAT_EXT 99', () => {
    const newFloat = Buffer.concat([hex('8346'), Buffer.alloc(8)]);
    newFloat.writeDoubleBE(1.5, 2);
    expect(decodeTerm(newFloat)).toEqual(new ErlFloat(1.5));
    const old = Buffer.concat([
      hex('8363'),
      Buffer.from('1.50000000000000000000e+00'.padEnd(31, '\0'), 'latin1'),
    ]);
    expect(decodeTerm(old)).toEqual(new ErlFloat(1.5));
  });

  it('reads integers of every width: small, signed 32-bit, big (number up to 2^53, bigint beyond)', () => {
    expect(decodeTerm(hex('83 61 ff'))).toBe(255);
    expect(decodeTerm(hex('83 62 ffffffff'))).toBe(-1);
    expect(decodeTerm(hex('83 62 80000000'))).toBe(-(2 ** 31));
    expect(decodeTerm(hex('83 6e 04 01 00000080'))).toBe(-(2 ** 31));
    expect(decodeTerm(hex('83 6e 08 00 0000000000000001'))).toBe(2n ** 56n);
    expect(decodeTerm(hex('83 6f 00000001 00 05'))).toBe(5);
  });

  it('reads maps and improper lists', () => {
    expect(decodeTerm(hex('83 74 00000001 64 0001 61 61 01'))).toEqual(new ErlMap([[atom('a'), 1]]));
    expect(decodeTerm(hex('83 6c 00000001 61 01 61 02'))).toEqual(new ImproperList([1], 2));
  });

  it.each([
    ['an empty frame', ''],
    ['another version byte', '82 61 01'],
    ['a cut integer', '83 62 0000'],
    ['a list longer than the frame', '83 6c 7fffffff 6a'],
    ['a tuple longer than the frame', '83 69 ffffffff'],
    ['a binary longer than the frame', '83 6d 00001000 00'],
    ['bytes after the term', '83 61 01 61'],
    ['compressed terms', '83 50 00000001 78'],
    ['a PID', '83 67 64000161 00000001 00000000 00'],
    ['a huge bignum', '83 6f 00100000 00'],
  ])('refuses %s with an EtfDecodeError', (_name, bytes) => {
    expect(() => decodeTerm(hex(bytes))).toThrow(EtfDecodeError);
  });

  it('refuses nesting beyond its cap instead of exhausting the stack', () => {
    const deep = Buffer.concat([hex('83'), Buffer.alloc(100_000, 0x68), Buffer.from([0x01])]);
    // 0x68 0x68 … : SMALL_TUPLE of arity 0x68, each first element another tuple.
    expect(() => decodeTerm(deep)).toThrow(EtfDecodeError);
  });
});

/** Random terms the encoder can express. Char lists are non-empty (an empty one is NIL in Erlang). */
const termArb: fc.Arbitrary<Term> = fc.letrec<{ term: Term }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
    fc.double({ noNaN: true }).map((value) => new ErlFloat(value)),
    fc.string({ maxLength: 12 }).map((name) => new Atom(name)),
    fc
      .string({
        minLength: 1,
        maxLength: 20,
        unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
      })
      .map((value) => new ErlString(value)),
    fc.uint8Array({ maxLength: 32 }).map((bytes) => new Binary(bytes)),
    fc.array(tie('term'), { maxLength: 4 }).map((items) => new Tuple(items)),
    fc.array(tie('term'), { maxLength: 4 }),
    fc.array(fc.tuple(tie('term'), tie('term')), { maxLength: 3 }).map((entries) => new ErlMap(entries)),
  ),
})).term;

describe('ETF properties', () => {
  it('decode(encode(term)) is the term', () => {
    fc.assert(
      fc.property(termArb, (term) => {
        expect(normal(decodeTerm(encodeTerm(term)))).toEqual(normal(term));
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes never throw anything but an EtfDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.boolean(), (bytes, versioned) => {
        const frame = versioned ? Buffer.concat([Buffer.from([131]), bytes]) : Buffer.from(bytes);
        try {
          decodeTerm(frame);
        } catch (error) {
          expect(error).toBeInstanceOf(EtfDecodeError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a valid frame with one byte changed or cut short decodes or fails with an EtfDecodeError', () => {
    fc.assert(
      fc.property(termArb, fc.nat(), fc.nat(255), fc.boolean(), (term, at, byte, cut) => {
        const frame = Buffer.from(encodeTerm(term));
        const index = at % frame.length;
        const broken = cut ? frame.subarray(0, index) : (frame.fill(byte, index, index + 1), frame);
        try {
          decodeTerm(broken);
        } catch (error) {
          expect(error).toBeInstanceOf(EtfDecodeError);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

/** Comparable form: numbers and bigints of equal value agree; bytes as hex. */
function normal(term: Term): unknown {
  if (typeof term === 'bigint') return Number.isSafeInteger(Number(term)) ? Number(term) : `big:${term}`;
  if (typeof term === 'number') return term;
  if (term instanceof Atom) return { atom: term.name };
  if (term instanceof ErlString) return { str: term.value };
  if (term instanceof Binary) return { bin: Buffer.from(term.bytes).toString('hex') };
  if (term instanceof ErlFloat) return { float: Object.is(term.value, -0) ? 0 : term.value };
  if (term instanceof Tuple) return { tuple: term.items.map(normal) };
  if (term instanceof ErlMap) return { map: term.entries.map(([k, v]) => [normal(k), normal(v)]) };
  if (term instanceof ImproperList) return { improper: term.items.map(normal), tail: normal(term.tail) };
  return (term as readonly Term[]).map(normal);
}
