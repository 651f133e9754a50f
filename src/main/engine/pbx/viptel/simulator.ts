import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { serverFrame } from '../common/ws-frames';
import { loginHash } from './login-hash';
import { CALL_RANDOM_ID } from './protocol';
import {
  DEFAULT_SIM_DELAYS,
  SimCallBook,
  type SimCall,
  type SimCallDelays,
  type SimCallScript,
  type SimCallStatus,
} from './simulator-calls';
import {
  foreignEventFrames,
  greetingFrame,
  SIM_REPLIES,
  type GreetingShape,
  type SimReply,
} from './simulator-frames';

export interface ViptelSimUser {
  username: string;
  password: string;
  /** false: a correct login gets "401 User is not activated". */
  active?: boolean;
  /** Actions this user lacks the permission for (403). */
  deniedActions?: string[];
}

export interface ViptelSimulatorOptions {
  /** Default 0 (any free port). The simulator always binds 127.0.0.1. */
  port?: number;
  /** Default: one user demo / demo. */
  users?: ViptelSimUser[];
  /** No login within this long → "408 Login timeout" and close (default 30 s, as the spec says). */
  loginTimeoutMs?: number;
  greeting?: GreetingShape;
  delays?: Partial<SimCallDelays>;
  /** Number pattern → how calls to it end (see SimCallScript.outcomes). */
  outcomes?: Record<string, SimCallStatus>;
  renameOnCreate?: boolean;
  renameLater?: 'begin' | 'end' | null;
  /** Serve wss:// with this certificate instead of ws://. */
  tls?: { cert: string; key: string };
}

/** One client connection, as tests see it. */
export interface SimConnection {
  readonly id: number;
  readonly nonce: string;
  username: string | null;
  /** The call book's tick at login; null until logged in. */
  loggedInAt: number | null;
  open: boolean;
  readonly actions: Record<string, unknown>[];
}

export interface SimLogin {
  connectionId: number;
  username: string;
}

interface ClientState {
  info: SimConnection;
  socket: WebSocket;
  /** The TCP (or TLS) stream under the WebSocket, for prepared streams. */
  stream: Duplex;
  loginTimer: NodeJS.Timeout | null;
  /** Corked until the end of this tick, so frames sent in one tick arrive in one TCP read. */
  corked: boolean;
}

/** Events framed once, up front: sending them is one write per client (see `sendPrepared`). */
export interface PreparedStream {
  readonly bytes: Buffer;
  readonly frames: number;
}

export interface ViptelSimulatorEvents {
  /** Each parsed client frame, as soon as it arrives (before it is handled). */
  action: [frame: Record<string, unknown>, connection: SimConnection];
  connection: [connection: SimConnection];
  login: [login: SimLogin];
  logout: [login: SimLogin];
  disconnect: [connection: SimConnection];
}

const DEFAULT_USERS: ViptelSimUser[] = [{ username: 'demo', password: 'demo' }];
const HANDLED_ACTIONS = new Set(['user.login', 'user.logout', 'call.create', 'call.hangup', 'call.redirect']);

/**
 * A VIPTel PBX WebSocket API 1.0.8 server on 127.0.0.1, for tests, the bench and manual trials: greeting
 * with a fresh nonce per connection, hash login, the spec's replies and error codes, scripted call flows,
 * and events to every logged-in client.
 */
export class ViptelSimulator extends EventEmitter<ViptelSimulatorEvents> {
  /** Every connection ever accepted, oldest first. */
  readonly connections: SimConnection[] = [];
  readonly logins: SimLogin[] = [];
  readonly logouts: SimLogin[] = [];
  /** call.redirect requests that were carried out. */
  readonly redirects: { uniqueId: string; destination: unknown }[] = [];
  readonly script: SimCallScript;
  private readonly users: ViptelSimUser[];
  private readonly loginTimeoutMs: number;
  private readonly greeting: GreetingShape;
  private readonly clients = new Set<ClientState>();
  private readonly scriptedReplies = new Map<string, SimReply[]>();
  private readonly book: SimCallBook;
  private server: WebSocketServer | null = null;
  private httpsServer: HttpsServer | null = null;
  private nextConnectionId = 1;

  constructor(private readonly options: ViptelSimulatorOptions = {}) {
    super();
    this.users = options.users ?? DEFAULT_USERS;
    this.loginTimeoutMs = options.loginTimeoutMs ?? 30_000;
    this.greeting = options.greeting ?? 'top-level';
    this.script = {
      delays: { ...DEFAULT_SIM_DELAYS, ...options.delays },
      outcomes: new Map(Object.entries(options.outcomes ?? {})),
      renameOnCreate: options.renameOnCreate ?? false,
      renameLater: options.renameLater ?? null,
    };
    this.book = new SimCallBook(this.script, (event) => this.broadcast(event));
  }

  async start(): Promise<{ url: string }> {
    if (this.server) return { url: this.url() };
    const host = '127.0.0.1';
    const port = this.options.port ?? 0;
    if (this.options.tls) {
      const https = createHttpsServer({ cert: this.options.tls.cert, key: this.options.tls.key });
      this.httpsServer = https;
      this.server = new WebSocketServer({ server: https });
      await new Promise<void>((resolve, reject) => {
        https.once('error', reject);
        https.listen(port, host, () => resolve());
      });
    } else {
      const server = new WebSocketServer({ host, port });
      this.server = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.once('listening', () => resolve());
      });
    }
    this.server.on('connection', (socket, request) => this.accept(socket, request.socket));
    return { url: this.url() };
  }

  url(): string {
    const address = (this.httpsServer ?? this.server)?.address() as AddressInfo | null;
    if (!address) throw new Error('the VIPTel simulator is not running');
    return `${this.options.tls ? 'wss' : 'ws'}://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    this.book.clear();
    for (const client of this.clients) this.forget(client, true);
    const server = this.server;
    const https = this.httpsServer;
    this.server = null;
    this.httpsServer = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (https) await new Promise<void>((resolve) => https.close(() => resolve()));
  }

  /** Connections open right now. */
  get openConnections(): number {
    return this.clients.size;
  }

  /** Live calls of the PBX. */
  calls(): SimCall[] {
    return this.book.live();
  }

  /** A call to `to` (an extension) from `from`; returns its unique_id. It rings until answered or ended. */
  placeInboundCall(call: { from: string; to: string; calledNumber?: string }): string {
    return this.book.inbound(call.from, call.to, call.calledNumber).uniqueId;
  }

  /** call.pickup for the call. */
  answer(uniqueId: string): void {
    const call = this.book.find(uniqueId);
    if (call) this.book.answer(call);
  }

  /** call.end with `status` for the call. */
  endCall(uniqueId: string, status: SimCallStatus): void {
    const call = this.book.find(uniqueId);
    if (call) this.book.end(call, status);
  }

  /** The next `action` request (after the login and permission checks) gets `reply` instead of running. */
  failNext(action: string, reply: SimReply = SIM_REPLIES.actionFailed): void {
    const queue = this.scriptedReplies.get(action) ?? [];
    queue.push(reply);
    this.scriptedReplies.set(action, queue);
  }

  /** `n` events of other extensions to every logged-in client (see foreignEventFrames). */
  emitForeignEvents(n: number, exclude: readonly string[] = []): void {
    this.broadcastRaw(foreignEventFrames(n, { exclude }));
  }

  /**
   * Frames as they are (strings are sent verbatim) to every logged-in client, or only to the connection
   * `onlyTo` (by id) when given.
   */
  broadcastRaw(frames: readonly (string | object)[], onlyTo?: number): void {
    const loggedIn = this.loggedInClients(onlyTo);
    for (const client of loggedIn) this.corkForTick(client);
    for (const frame of frames) {
      const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
      for (const client of loggedIn) client.socket.send(text);
    }
  }

  /**
   * A real PBX writes what it has at once: a reply and the events it caused (create_response and an
   * instant call.end) reach the client in one read. Frames sent in the same tick are written together.
   */
  private corkForTick(client: ClientState): void {
    if (client.corked) return;
    client.corked = true;
    client.stream.cork();
    process.nextTick(() => {
      client.corked = false;
      client.stream.uncork();
    });
  }

  /**
   * WebSocket-frames `frames` once (unmasked text frames, as a server sends them), so a bulk stream
   * costs the simulator one write per client instead of one send per frame: the receiver, not the
   * simulator, is then what limits the stream's pace.
   */
  prepareStream(frames: readonly string[]): PreparedStream {
    return { bytes: Buffer.concat(frames.map((frame) => textFrame(frame))), frames: frames.length };
  }

  /** A prepared stream to every logged-in client, or only to the connection `onlyTo`. */
  sendPrepared(stream: PreparedStream, onlyTo?: number): void {
    for (const client of this.clients) {
      if (onlyTo !== undefined && client.info.id !== onlyTo) continue;
      if (client.info.loggedInAt !== null && client.socket.readyState === WebSocket.OPEN) {
        client.stream.write(stream.bytes);
      }
    }
  }

  /** An event (call.*, queue.*) to every logged-in client. */
  broadcast(event: Record<string, unknown>): void {
    this.broadcastRaw([JSON.stringify(event)]);
  }

  /** "503 Server is restarting, please reconnect", then "110 Closing connection, bye" and close, to all. */
  announceRestart(): void {
    for (const client of [...this.clients]) {
      this.send(client, SIM_REPLIES.restarting);
      this.closeWith(client, null);
    }
    this.book.clear();
  }

  /** Cuts every connection without a word (a network drop). */
  dropConnections(): void {
    for (const client of [...this.clients]) this.forget(client, true);
  }

  // ---- connections ----

  private accept(socket: WebSocket, stream: Duplex): void {
    const info: SimConnection = {
      id: this.nextConnectionId++,
      nonce: randomBytes(16).toString('hex'),
      username: null,
      loggedInAt: null,
      open: true,
      actions: [],
    };
    const client: ClientState = { info, socket, stream, loginTimer: null, corked: false };
    this.clients.add(client);
    this.connections.push(info);
    client.loginTimer = setTimeout(() => {
      client.loginTimer = null;
      if (info.loggedInAt === null) this.closeWith(client, SIM_REPLIES.loginTimeout);
    }, this.loginTimeoutMs);
    socket.on('message', (data, isBinary) => this.onMessage(client, isBinary ? null : data.toString()));
    socket.on('close', () => this.forget(client, false));
    socket.on('error', () => undefined);
    this.emit('connection', info);
    this.send(client, greetingFrame(info.nonce, this.greeting));
  }

  private onMessage(client: ClientState, text: string | null): void {
    let frame: unknown;
    try {
      frame = text === null ? null : JSON.parse(text);
    } catch {
      frame = null;
    }
    // Not a JSON object: the simulator's guess is "Missing action" (the spec does not say).
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      return this.send(client, SIM_REPLIES.missingAction);
    }
    const request = frame as Record<string, unknown>;
    client.info.actions.push(request);
    this.emit('action', request, client.info);
    this.handle(client, request);
  }

  private handle(client: ClientState, request: Record<string, unknown>): void {
    const action = request.action;
    if (action === undefined || action === null || action === '') {
      return this.send(client, SIM_REPLIES.missingAction);
    }
    if (typeof action !== 'string') return this.send(client, SIM_REPLIES.actionNotString);
    if (action === 'user.login') return this.login(client, request);
    if (client.info.loggedInAt === null) return this.send(client, SIM_REPLIES.loginFirst);
    if (!HANDLED_ACTIONS.has(action)) return this.send(client, SIM_REPLIES.unknownAction);
    const user = this.users.find((u) => u.username === client.info.username);
    if (user?.deniedActions?.includes(action)) return this.send(client, SIM_REPLIES.forbidden);
    const scripted = this.scriptedReplies.get(action)?.shift();
    if (scripted) return this.replyScripted(client, scripted);
    switch (action) {
      case 'user.logout':
        return this.logout(client);
      case 'call.create':
        return this.create(client, request);
      case 'call.hangup':
        return this.hangup(client, request);
      case 'call.redirect':
        return this.redirect(client, request);
    }
  }

  private login(client: ClientState, request: Record<string, unknown>): void {
    const { username, password } = request;
    const errors: string[] = [];
    if (typeof username !== 'string' || username === '') errors.push('username is required');
    if (typeof password !== 'string' || password === '') errors.push('password is required');
    if (errors.length > 0) return this.send(client, { ...SIM_REPLIES.invalidValues, errors });
    const user = this.users.find((u) => u.username === username);
    if (!user || loginHash(user.username, user.password, client.info.nonce) !== password) {
      return this.closeWith(client, SIM_REPLIES.wrongCredentials);
    }
    if (user.active === false) return this.closeWith(client, SIM_REPLIES.notActivated);
    if (client.loginTimer) clearTimeout(client.loginTimer);
    client.loginTimer = null;
    client.info.username = user.username;
    client.info.loggedInAt = this.book.now();
    const login = { connectionId: client.info.id, username: user.username };
    this.logins.push(login);
    this.send(client, SIM_REPLIES.loggedIn);
    this.emit('login', login);
  }

  private logout(client: ClientState): void {
    const login = { connectionId: client.info.id, username: client.info.username ?? '' };
    this.logouts.push(login);
    this.emit('logout', login);
    this.send(client, SIM_REPLIES.bye);
    client.socket.close(1000);
  }

  // ---- call actions ----

  private create(client: ClientState, request: Record<string, unknown>): void {
    const { from, to, call_random_id: callRandomId, caller_id: callerId } = request;
    const errors: string[] = [];
    // The spec types `from` as Integer; its own example sends "12", so digit strings pass too.
    if (from === undefined || from === null || from === '') errors.push('from is required');
    else if (!isWholeNumber(from)) errors.push('from must be an extension number');
    if (to === undefined || to === null || to === '') errors.push('to is required');
    else if (typeof to !== 'string' && typeof to !== 'number') errors.push('to must be a number or a string');
    if (callRandomId === undefined || callRandomId === null || callRandomId === '') {
      errors.push('call_random_id is required');
    } else if (typeof callRandomId !== 'string' || !CALL_RANDOM_ID.test(callRandomId)) {
      errors.push('call_random_id must be at most 64 alphanumeric characters');
    }
    if (callerId !== undefined && typeof callerId !== 'string') errors.push('caller_id must be a string');
    if (errors.length > 0) return this.send(client, { ...SIM_REPLIES.invalidValues, errors });
    this.book.create(String(from), String(to), String(callRandomId));
  }

  private hangup(client: ClientState, request: Record<string, unknown>): void {
    const call = this.callFor(client, request, []);
    if (call) this.book.hangup(call);
  }

  private redirect(client: ClientState, request: Record<string, unknown>): void {
    const { destination } = request;
    const missing = destination === undefined || destination === null || destination === '';
    const call = this.callFor(client, request, missing ? ['destination is required'] : []);
    if (!call) return;
    this.redirects.push({ uniqueId: call.uniqueId, destination });
    this.book.redirect(call);
  }

  /** The call an action names, or the reply why not (400 / 404). */
  private callFor(client: ClientState, request: Record<string, unknown>, errors: string[]): SimCall | null {
    const uniqueId = request.unique_id;
    if (uniqueId === undefined || uniqueId === null || uniqueId === '')
      errors.unshift('unique_id is required');
    if (errors.length > 0) {
      this.send(client, { ...SIM_REPLIES.invalidValues, errors });
      return null;
    }
    const call = this.book.find(uniqueId);
    // "Only calls begun while this API connection is logged in."
    if (!call || client.info.loggedInAt === null || call.bornAt < client.info.loggedInAt) {
      this.send(client, SIM_REPLIES.callNotFound);
      return null;
    }
    return call;
  }

  private replyScripted(client: ClientState, reply: SimReply): void {
    // Replies the spec says close the connection do so.
    if (
      reply.code === SIM_REPLIES.unexpectedError.code &&
      reply.message === SIM_REPLIES.unexpectedError.message
    ) {
      return this.closeWith(client, reply);
    }
    this.send(client, reply);
  }

  // ---- helpers ----

  private loggedInClients(onlyTo?: number): ClientState[] {
    const clients: ClientState[] = [];
    for (const client of this.clients) {
      if (onlyTo !== undefined && client.info.id !== onlyTo) continue;
      if (client.info.loggedInAt !== null && client.socket.readyState === WebSocket.OPEN)
        clients.push(client);
    }
    return clients;
  }

  private send(client: ClientState, frame: object): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    this.corkForTick(client);
    client.socket.send(JSON.stringify(frame));
  }

  /** `reply` (if any), then "110 Closing connection, bye", then close. */
  private closeWith(client: ClientState, reply: object | null): void {
    if (reply) this.send(client, reply);
    this.send(client, SIM_REPLIES.closing);
    client.socket.close(1000);
  }

  private forget(client: ClientState, terminate: boolean): void {
    if (client.loginTimer) clearTimeout(client.loginTimer);
    client.loginTimer = null;
    if (terminate) client.socket.terminate();
    if (!this.clients.delete(client)) return;
    client.info.open = false;
    this.emit('disconnect', client.info);
  }
}

/** One unmasked, final text frame (RFC 6455 §5.2). */
function textFrame(text: string): Buffer {
  return serverFrame(Buffer.from(text, 'utf8'), 1);
}

function isWholeNumber(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isInteger(value)) ||
    (typeof value === 'string' && /^[0-9]+$/.test(value))
  );
}
