// WebSocket frames as a server writes them (unmasked, FIN set), for simulators that pre-frame a bulk
// stream once and hand it to the socket in one write.

/** One frame: opcode 1 = text, 2 = binary. */
export function serverFrame(payload: Buffer, opcode: 1 | 2): Buffer {
  const length = payload.length;
  const first = 0x80 | opcode;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, length]);
  else if (length < 65_536) header = Buffer.from([first, 126, length >> 8, length & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}
