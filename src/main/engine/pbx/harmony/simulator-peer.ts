// One client of the simulated Integration Server: framing both ways, and writes corked per tick so that
// frames produced together (a response and its events) arrive in one TCP read, as from a real server.
import type net from 'node:net';
import { encodeFrame, FrameError, FrameParser, type Frame } from './framing';
import type { HarmonyProtocol } from './profile';
import type { Message } from './wire';

export class SimPeer {
  /** The negotiated DCP index, once negotiated. */
  dcpIndex: number | null = null;
  handshaken = false;
  /** Refused: nothing more is read from it. */
  closing = false;
  private readonly parser: FrameParser;
  private corked = false;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
    private readonly protocol: HarmonyProtocol,
  ) {
    this.parser = new FrameParser(protocol.framing);
  }

  get open(): boolean {
    return !this.socket.destroyed;
  }

  /** Frames in `chunk`, and the fault if the client broke the framing after them. */
  frames(chunk: Buffer): { frames: Frame[]; fault: FrameError | null } {
    try {
      return { frames: this.parser.push(chunk), fault: null };
    } catch (error) {
      const fault = error instanceof FrameError ? error : new FrameError(String(error));
      return { frames: fault.frames, fault };
    }
  }

  sendTransport(message: Message): void {
    this.write(this.protocol.framing.transportIndex, message);
  }

  sendDcp(message: Message): void {
    if (this.dcpIndex === null) return;
    this.write(this.dcpIndex, message);
  }

  /** A transport ERROR message, then close (documented reaction to a missing boundary). */
  refuse(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.sendTransport({ [this.protocol.fields.messageType]: 'error', message: reason });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private write(index: number, message: Message): void {
    if (!this.open) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(encodeFrame(this.protocol.framing, index, JSON.stringify(message)));
  }
}
