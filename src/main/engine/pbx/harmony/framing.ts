// Socket Transport frames: 4-byte boundary ("~!OM"), 1-byte protocol index, 4-byte content length, content.
// The boundary and the header layout are documented by OpenMethods; the byte order of the length is not.

export interface FrameFormat {
  magic: string;
  lengthByteOrder: 'big' | 'little';
  maxFrameBytes: number;
}

export interface Frame {
  index: number;
  content: Buffer;
}

/** The peer broke the framing (bad boundary, oversize frame): the connection cannot continue. */
export class FrameError extends Error {
  override name = 'FrameError';
  constructor(
    message: string,
    /** Complete frames of the same read that came before the fault (act on them, then close). */
    readonly frames: Frame[] = [],
  ) {
    super(message);
  }
}

const HEADER_BYTES = 9;

export function encodeFrame(format: FrameFormat, index: number, content: Buffer | string): Buffer {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(format.magic, 0, 4, 'latin1');
  header.writeUInt8(index, 4);
  if (format.lengthByteOrder === 'big') header.writeUInt32BE(body.length, 5);
  else header.writeUInt32LE(body.length, 5);
  return Buffer.concat([header, body]);
}

/**
 * Streaming decoder: feed it whatever each read gave, get back the complete frames. Copes with frames split
 * across reads and several frames in one read. Throws FrameError, and then refuses further input.
 */
export class FrameParser {
  private readonly magic: Buffer;
  private buffered: Buffer = Buffer.alloc(0);
  private broken: FrameError | null = null;

  constructor(private readonly format: FrameFormat) {
    this.magic = Buffer.from(format.magic, 'latin1');
  }

  push(chunk: Buffer): Frame[] {
    if (this.broken) throw this.broken;
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      // Check the boundary as soon as its bytes are in, so garbage fails before a whole header arrives.
      const seen = Math.min(this.buffered.length, 4);
      if (seen > 0 && !this.buffered.subarray(0, seen).equals(this.magic.subarray(0, seen))) {
        return this.fail(`A frame did not start with the "${this.format.magic}" boundary`, frames);
      }
      if (this.buffered.length < HEADER_BYTES) break;
      const length =
        this.format.lengthByteOrder === 'big' ? this.buffered.readUInt32BE(5) : this.buffered.readUInt32LE(5);
      if (length > this.format.maxFrameBytes) {
        return this.fail(
          `A frame of ${length} bytes is over the ${this.format.maxFrameBytes}-byte limit`,
          frames,
        );
      }
      if (this.buffered.length < HEADER_BYTES + length) break;
      frames.push({
        index: this.buffered.readUInt8(4),
        content: Buffer.from(this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length)),
      });
      this.buffered = this.buffered.subarray(HEADER_BYTES + length);
    }
    return frames;
  }

  private fail(message: string, frames: Frame[]): never {
    this.broken = new FrameError(message);
    this.buffered = Buffer.alloc(0);
    throw new FrameError(message, frames);
  }
}
