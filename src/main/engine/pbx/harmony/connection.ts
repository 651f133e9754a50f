// One Socket Transport connection to the Harmony Integration Server: TCP or TLS, framing, the transport
// handshake and protocol negotiation, then DCP requests matched by request id.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../log/logger';
import { describeSocketError } from '../common/socket-errors';
import { safeHost } from '../common/tls-options';
import { encodeFrame, FrameError, FrameParser, type Frame } from './framing';
import type { HarmonyProtocol } from './profile';
import { Envelope, isObject, parseMessage, text, type Message } from './wire';

export interface HarmonyConnectionOptions {
  url: string;
  protocol: HarmonyProtocol;
  /** PEM text of the CA to trust (profile caFile). */
  ca?: string;
  rejectUnauthorized: boolean;
  log: Logger;
}

/** A request got no response in time. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/** The connection closed before the response came. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
}

export type RequestKind = 'coreRequest' | 'serviceRequest' | 'resourceRequest';

interface Pending {
  resolve(message: Message): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface ConnectionEvents {
  /** Every DCP message that is not the response of a pending request (events, strays). */
  message: [message: Message];
  /** Once, whatever closed the connection; `reason` is operator-facing. */
  close: [reason: string];
}

export class HarmonyConnection extends EventEmitter<ConnectionEvents> {
  private readonly socket: net.Socket;
  private readonly parser: FrameParser;
  private readonly envelope: Envelope;
  private readonly pending = new Map<string, Pending>();
  private readonly where: string;
  /** Waiting for a transport message of this messageType on the transport index. */
  private transportWaiter: { type: string; resolve(message: Message): void } | null = null;
  private dcpIndex: number | null = null;
  private closeReason: string | null = null;
  private closed = false;
  private readonly opened: Promise<void>;

  constructor(private readonly options: HarmonyConnectionOptions) {
    super();
    const url = new URL(options.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port);
    this.where = safeHost(options.url, 'the Harmony server');
    this.parser = new FrameParser(options.protocol.framing);
    this.envelope = new Envelope(options.protocol);
    this.socket =
      url.protocol === 'tls:'
        ? tls.connect({
            host,
            port,
            ca: options.ca,
            rejectUnauthorized: options.rejectUnauthorized,
            ...(net.isIP(host) ? {} : { servername: host }),
          })
        : net.connect({ host, port });
    this.socket.setNoDelay(true);
    // The Socket Transport has no documented heartbeat: TCP keep-alive finds a dead path at least.
    this.socket.setKeepAlive(true, 30_000);
    this.socket.on('data', (chunk) => this.receive(chunk));
    this.socket.on('error', (error) => this.noteCloseReason(describeSocketError(error, this.where)));
    this.socket.on('close', () => this.finish());
    this.opened = this.open();
    this.opened.catch(() => undefined);
  }

  /** Resolves once the handshake and the negotiation are done; rejects (and closes) otherwise. */
  ready(): Promise<void> {
    return this.opened;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a DCP request with a fresh request id; resolves with the message that repeats it. */
  request(kind: RequestKind, fields: Message, timeoutMs: number): Promise<Message> {
    if (this.closed) return Promise.reject(new ConnectionClosedError(this.closeReason ?? 'not connected'));
    const f = this.options.protocol.fields;
    const requestId = randomUUID();
    const message = {
      [f.messageType]: this.options.protocol.messageTypes[kind],
      [f.requestId]: requestId,
      ...fields,
    };
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        const command = text(fields[f.command]) ?? kind;
        reject(
          new RequestTimeoutError(`The Harmony server did not answer ${command} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.send(message);
    });
  }

  /** Ends the connection (FIN, then destroy after `graceMs`). Resolves once closed. */
  async close(reason: string, graceMs = 500): Promise<void> {
    this.noteCloseReason(reason);
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.socket.destroy(), graceMs);
      this.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    });
  }

  private async open(): Promise<void> {
    const { protocol } = this.options;
    const t = protocol.messageTypes;
    const f = protocol.fields;
    const deadline = setTimeout(() => {
      this.noteCloseReason(
        `${this.where} did not complete the Harmony handshake within ${protocol.timeouts.requestMs} ms`,
      );
      this.socket.destroy();
    }, protocol.timeouts.requestMs);
    try {
      await new Promise<void>((resolve, reject) => {
        const onClose = (reason: string): void => reject(new ConnectionClosedError(reason));
        this.once('close', onClose);
        this.socket.once(this.socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => {
          this.off('close', onClose);
          resolve();
        });
      });
      const handshake = await this.transportExchange(
        {
          [f.messageType]: t.handshake,
          client: { id: protocol.transport.clientId, name: protocol.transport.clientName },
        },
        t.handshakeResponse,
      );
      const handshakeResult = this.envelope.result(handshake);
      if (handshakeResult !== undefined && handshakeResult !== 'success') {
        throw this.fatal(`${this.where} refused the Harmony handshake (${handshakeResult})`);
      }
      const wanted = { name: protocol.transport.protocolName, version: protocol.transport.protocolVersion };
      const negotiated = await this.transportExchange(
        { [f.messageType]: t.negotiate, protocols: [wanted] },
        t.negotiateResponse,
      );
      const offered = Array.isArray(negotiated.protocols) ? negotiated.protocols : [];
      const match = offered.find((entry) => isObject(entry) && text(entry.name) === wanted.name);
      const index = isObject(match) ? Number(match.index) : NaN;
      if (!Number.isInteger(index) || index < 0 || index > 255) {
        throw this.fatal(`${this.where} did not offer the ${wanted.name} ${wanted.version} protocol`);
      }
      this.dcpIndex = index;
      this.options.log.debug('harmony negotiated', { index });
    } catch (error) {
      this.socket.destroy();
      throw error;
    } finally {
      clearTimeout(deadline);
    }
  }

  private fatal(reason: string): Error {
    this.noteCloseReason(reason);
    return new Error(reason);
  }

  private transportExchange(message: Message, responseType: string): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      const onClose = (reason: string): void => {
        this.transportWaiter = null;
        reject(new ConnectionClosedError(reason));
      };
      this.once('close', onClose);
      this.transportWaiter = {
        type: responseType,
        resolve: (reply) => {
          this.off('close', onClose);
          this.transportWaiter = null;
          resolve(reply);
        },
      };
      this.write(this.options.protocol.framing.transportIndex, message);
    });
  }

  private send(message: Message): void {
    if (this.closed || this.dcpIndex === null) return;
    this.write(this.dcpIndex, message);
  }

  private write(index: number, message: Message): void {
    this.options.log.debug('harmony send', { index, message });
    this.socket.write(encodeFrame(this.options.protocol.framing, index, JSON.stringify(message)));
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    let fault: string | null = null;
    try {
      frames = this.parser.push(chunk);
    } catch (error) {
      frames = error instanceof FrameError ? error.frames : [];
      fault = error instanceof Error ? error.message : String(error);
    }
    this.handleFrames(frames);
    if (fault !== null) {
      this.noteCloseReason(`Protocol error from ${this.where}: ${fault}`);
      this.socket.destroy();
    }
  }

  private handleFrames(frames: Frame[]): void {
    for (const frame of frames) {
      if (this.closed) return;
      const message = parseMessage(frame.content);
      if (!message) {
        this.options.log.debug('harmony frame that is not a JSON object ignored', {
          index: frame.index,
          bytes: frame.content.length,
        });
        continue;
      }
      if (frame.index === this.options.protocol.framing.transportIndex && frame.index !== this.dcpIndex) {
        this.onTransportMessage(message);
      } else if (frame.index === this.dcpIndex) {
        this.onDcpMessage(message);
      } else {
        this.options.log.debug('harmony message on an unknown protocol index', {
          index: frame.index,
          message,
        });
      }
    }
  }

  private onTransportMessage(message: Message): void {
    const type = this.envelope.messageType(message);
    if (this.transportWaiter && type === this.transportWaiter.type) {
      this.transportWaiter.resolve(message);
      return;
    }
    // Socket Transport: the server sends an ERROR message before it closes on a framing fault.
    if (type?.toLowerCase() === 'error') {
      const said = text(message.message) ?? text(message.error) ?? JSON.stringify(message);
      this.noteCloseReason(`${this.where} reported a transport error: ${said}`);
      this.options.log.warn('harmony transport error from the server', { message });
      return;
    }
    this.options.log.debug('harmony transport message not recognised', { message });
  }

  private onDcpMessage(message: Message): void {
    const requestId = this.envelope.requestId(message);
    const waiting = requestId === undefined ? undefined : this.pending.get(requestId);
    if (waiting) {
      this.pending.delete(requestId!);
      clearTimeout(waiting.timer);
      this.options.log.debug('harmony response', { message });
      waiting.resolve(message);
      return;
    }
    this.emit('message', message);
  }

  private noteCloseReason(reason: string): void {
    this.closeReason ??= reason;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const reason = this.closeReason ?? `${this.where} closed the connection`;
    for (const [requestId, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new ConnectionClosedError(reason));
      this.pending.delete(requestId);
    }
    this.emit('close', reason);
  }
}
