import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  FrameError,
  FrameParser,
  type FrameFormat,
} from '../../../src/main/engine/pbx/harmony/framing';

const BIG: FrameFormat = { magic: '~!OM', lengthByteOrder: 'big', maxFrameBytes: 1_048_576 };
const LITTLE: FrameFormat = { ...BIG, lengthByteOrder: 'little' };

const message = fc.record({
  index: fc.integer({ min: 0, max: 255 }),
  // Content may itself contain the boundary: it is never escaped (Socket Transport).
  content: fc.oneof(fc.string(), fc.constant('~!OM~!OM'), fc.json()),
});

/** Cuts `bytes` at the given fractions into consecutive chunks. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

describe('Harmony Socket Transport framing', () => {
  it('writes ~!OM, the index byte, the content length (big-endian by default), then the content', () => {
    const frame = encodeFrame(BIG, 1, '{"a":1}');
    expect(frame.subarray(0, 4).toString('latin1')).toBe('~!OM');
    expect(frame[4]).toBe(1);
    expect(frame.readUInt32BE(5)).toBe(7);
    expect(frame.subarray(9).toString()).toBe('{"a":1}');
    expect(encodeFrame(LITTLE, 1, '{"a":1}').readUInt32LE(5)).toBe(7);
  });

  for (const format of [BIG, LITTLE]) {
    it(`random splits and merges of valid frames decode to the same messages (${format.lengthByteOrder}-endian)`, () => {
      fc.assert(
        fc.property(
          fc.array(message, { maxLength: 12 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
          (messages, cuts) => {
            const stream = Buffer.concat(messages.map((m) => encodeFrame(format, m.index, m.content)));
            const parser = new FrameParser(format);
            const decoded = split(stream, cuts).flatMap((chunk) => parser.push(chunk));
            expect(
              decoded.map((frame) => ({ index: frame.index, content: frame.content.toString() })),
            ).toEqual(messages);
          },
        ),
      );
    });
  }

  it('random bytes never throw anything but FrameError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const parser = new FrameParser({ ...BIG, maxFrameBytes: 1_024 });
        for (const chunk of chunks) {
          try {
            parser.push(Buffer.from(chunk));
          } catch (error) {
            expect(error).toBeInstanceOf(FrameError);
            return;
          }
        }
      }),
    );
  });

  it('a frame that does not start with ~!OM is a protocol error, even before a whole header arrived', () => {
    const parser = new FrameParser(BIG);
    expect(() => parser.push(Buffer.from('~!X'))).toThrow(FrameError);
    // A broken stream stays broken.
    expect(() => parser.push(encodeFrame(BIG, 0, '{}'))).toThrow(FrameError);
  });

  it('garbage after valid frames fails at the garbage, handing over the frames before it', () => {
    const parser = new FrameParser(BIG);
    expect(parser.push(encodeFrame(BIG, 0, '{"ok":true}'))).toHaveLength(1);
    expect(() => parser.push(Buffer.from('HTTP/1.1 200 OK\r\n'))).toThrow(/boundary/);
    const sameRead = new FrameParser(BIG);
    const error = (() => {
      try {
        sameRead.push(Buffer.concat([encodeFrame(BIG, 2, '{"a":1}'), Buffer.from('junk')]));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(FrameError);
    expect((error as FrameError).frames.map((f) => [f.index, f.content.toString()])).toEqual([
      [2, '{"a":1}'],
    ]);
  });

  it('an oversize length is a protocol error without waiting for its content', () => {
    const parser = new FrameParser({ ...BIG, maxFrameBytes: 1_024 });
    const header = encodeFrame(BIG, 1, '').subarray(0, 9);
    header.writeUInt32BE(1_025, 5);
    expect(() => parser.push(header)).toThrow(/over the 1024-byte limit/);
    const exact = new FrameParser({ ...BIG, maxFrameBytes: 1_024 });
    expect(exact.push(encodeFrame(BIG, 1, 'x'.repeat(1_024)))).toHaveLength(1);
  });

  it('a honoured magic override frames and checks the other boundary', () => {
    const format = { ...BIG, magic: 'HRMY' };
    const frame = encodeFrame(format, 2, '{}');
    expect(frame.subarray(0, 4).toString('latin1')).toBe('HRMY');
    expect(new FrameParser(format).push(frame)).toHaveLength(1);
    expect(() => new FrameParser(BIG).push(frame)).toThrow(FrameError);
  });
});
