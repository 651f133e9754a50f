// A Basix server for tests and trials, on 127.0.0.1: ws_cti (HTTP Basic auth, the 2-connection limit per
// user + app_name with `forced`, field_spec + initial_info on connect, binary ETF frames, the hangup text
// command) and REST call_user driving the call scripts of simulator-calls.ts.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { serverFrame } from '../common/ws-frames';
import { fieldSpecFrame, infoEventFrame, initialInfoFrame, systemMsgFrame } from './cti-messages';
import type { Tuple } from './etf-terms';
import {
  DEFAULT_SIM_DELAYS,
  SimChannelBook,
  type ChannelEvent,
  type SimCallDelays,
  type SimOutcome,
} from './simulator-calls';
import {
  CHANNEL_FIELDS,
  GROUP_MEMBER_FIELDS,
  USER_FIELDS,
  recordOf,
  shuffledOrder,
  userRecord,
  type SimChannel,
  type SimUser,
} from './simulator-records';

export interface BasixSimulatorOptions {
  /** Default 0 (a free port). Always binds 127.0.0.1. */
  port?: number;
  domain?: string;
  token?: string;
  /** Default: operator1 (10001001, ext 1001) and user2 (10001002, ext 1002). */
  users?: SimUser[];
  /** Connections per user + app_name (Basix: 2). */
  connectionLimit?: number;
  /** Close a connection refused with connection_limit_reached (default true; the docs do not say). */
  closeOnLimit?: boolean;
  /** HTTP status for a wrong Authorization (default 401). */
  authFailureStatus?: number;
  delays?: Partial<SimCallDelays>;
  /** Destination → outcome (default: answer). */
  outcomes?: Record<string, SimOutcome>;
  /** Destination → call_user error id (result_code 1). */
  callUserErrors?: Record<string, string>;
  /** call_user's reply is held this long after the first channel events went out (default 0). */
  replyDelayMs?: number;
  /** Shuffle the channel and user field orders (proves clients map fields by field_spec). */
  shuffleFieldsSeed?: number;
  /** Leave out `removed` after a hang-up. */
  omitRemoved?: boolean;
  /** Token connections get every channel (as the README says); true: only the chosen user's. */
  filterByUser?: boolean;
  /** Serve https:// and wss:// with this certificate instead of http:// and ws://. */
  tls?: { cert: string; key: string };
}

export interface SimCtiConnection {
  readonly id: number;
  readonly appName: string;
  readonly userName: string | null;
  readonly forced: boolean;
  /** Text commands received, parsed. */
  readonly commands: Record<string, unknown>[];
  open: boolean;
}

interface Client {
  info: SimCtiConnection;
  socket: WebSocket;
  stream: Duplex;
  userId: number | null;
  corked: boolean;
}

export interface BasixSimulatorEvents {
  connection: [connection: SimCtiConnection];
  callUser: [body: Record<string, unknown>];
  /** A ws_cti text command, parsed, with the connection's id. */
  command: [command: Record<string, unknown>, connectionId: number];
}

export const SIM_DOMAIN = 'test1.basix.ne.jp';
export const SIM_TOKEN = 'sim-api-token-0123456789';
export const SIM_USERS: SimUser[] = [
  { id: 10001001, name: 'operator1', extension: '1001', label: 'Operator One' },
  { id: 10001002, name: 'user2', extension: '1002', label: 'User Two' },
];

export class BasixSimulator extends EventEmitter<BasixSimulatorEvents> {
  readonly connections: SimCtiConnection[] = [];
  /** Every call_user body received. */
  readonly callUserRequests: Record<string, unknown>[] = [];
  /** Every ws_cti upgrade request (url and headers), accepted or refused. */
  readonly upgradeRequests: { url: string; headers: IncomingMessage['headers'] }[] = [];
  outcomes: Record<string, SimOutcome>;
  callUserErrors: Record<string, string>;
  replyDelayMs: number;
  /** A different token for REST only (a rotated token the ws_cti connection predates); null: the same. */
  restToken: string | null = null;
  private readonly users: SimUser[];
  private readonly book: SimChannelBook;
  private readonly clients = new Set<Client>();
  private readonly channelOrder: string[];
  private readonly userOrder: string[];
  private server: Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private nextId = 1;
  private port: number;

  constructor(private readonly options: BasixSimulatorOptions = {}) {
    super();
    this.port = options.port ?? 0;
    this.users = options.users ?? SIM_USERS;
    this.outcomes = { ...options.outcomes };
    this.callUserErrors = { ...options.callUserErrors };
    this.replyDelayMs = options.replyDelayMs ?? 0;
    const seed = options.shuffleFieldsSeed;
    this.channelOrder = seed ? shuffledOrder(CHANNEL_FIELDS, seed) : [...CHANNEL_FIELDS];
    this.userOrder = seed ? shuffledOrder(USER_FIELDS, seed + 1) : [...USER_FIELDS];
    this.book = new SimChannelBook({
      delays: { ...DEFAULT_SIM_DELAYS, ...options.delays },
      omitRemoved: options.omitRemoved ?? false,
      emit: (channel, event) => this.broadcastChannel(channel, event),
    });
  }

  get domain(): string {
    return this.options.domain ?? SIM_DOMAIN;
  }

  get token(): string {
    return this.options.token ?? SIM_TOKEN;
  }

  /** The profile `url` of this simulator (once started). */
  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<{ url: string; port: number }> {
    const handler = (request: IncomingMessage, response: ServerResponse): void =>
      void this.onRequest(request, response);
    const server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createServer(handler);
    server.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return { url: this.url, port: this.port };
  }

  async stop(): Promise<void> {
    this.book.clear();
    this.dropConnections();
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Open ws_cti connections. */
  get openConnections(): number {
    return this.clients.size;
  }

  /** Cut every ws_cti connection without a word (a network drop). */
  dropConnections(): void {
    for (const client of [...this.clients]) {
      client.info.open = false;
      this.clients.delete(client);
      client.socket.terminate();
    }
  }

  /** A PBX restart: connections cut and every call gone (clients rebuild from initial_info). */
  restart(): void {
    this.book.clear();
    this.dropConnections();
  }

  /** Live calls of any user. */
  liveCalls(): number {
    return this.book.liveCalls();
  }

  liveChannels(): SimChannel[] {
    return this.book.live();
  }

  /** A PSTN caller rings the user; answered after `answerAfterMs` when given. */
  placeInboundCall(call: { from: string; toUser: string; did?: string; answerAfterMs?: number }): string[] {
    const user = this.userNamed(call.toUser);
    if (!user) throw new Error(`no simulated user ${call.toUser}`);
    return this.book.inbound(user, call.from, call.did ?? '0312340000', call.answerAfterMs);
  }

  /** A click-to-call for any user, as if another program called call_user. */
  placeCallFor(userName: string, destination: string, outcome: SimOutcome = 'answer'): string {
    const user = this.userNamed(userName);
    if (!user) throw new Error(`no simulated user ${userName}`);
    return this.book.clickToCall(user, destination, outcome);
  }

  /** The far end hangs up (every call, or the call of `uuid`). */
  farEndHangup(uuid?: string): void {
    this.book.farEndHangup(uuid);
  }

  /** Raw bytes as a binary frame to every connection (bad-input tests). */
  sendRaw(frame: Buffer): void {
    for (const client of this.clients) client.socket.send(frame, { binary: true });
  }

  /** A system_msg to every connection. */
  sendSystemMessage(message: string): void {
    for (const client of this.clients) client.socket.send(systemMsgFrame(message), { binary: true });
  }

  /**
   * `count` channel events of other users, encoded and WebSocket-framed once (the firehose benchmark):
   * `bytes` go to a connection in one write (`writePrepared`), `frames` are the ETF payloads.
   */
  prepareFirehose(count: number, operator: string): { bytes: Buffer; frames: Buffer[] } {
    const others = this.users.filter((user) => user.name !== operator);
    if (others.length === 0) throw new Error('the firehose needs a user other than the operator');
    const frames: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const other = others[i % others.length]!;
      const channel = syntheticChannel(`firehose-${i % 500}`, other);
      frames.push(this.channelFrame(channel, i % 500 === i ? 'added' : 'updated'));
    }
    return { bytes: Buffer.concat(frames.map((frame) => serverFrame(frame, 2))), frames };
  }

  /** One channel event for `userName`'s new channel `uuid`, framed (the firehose's last frame). */
  prepareChannelEvent(userName: string, uuid: string, event: ChannelEvent): { bytes: Buffer; frame: Buffer } {
    const user = this.userNamed(userName);
    if (!user) throw new Error(`no simulated user ${userName}`);
    const frame = this.channelFrame(syntheticChannel(uuid, user), event);
    return { bytes: serverFrame(frame, 2), frame };
  }

  /** Pre-framed bytes to one ws_cti connection (by id), in one write. */
  writePrepared(bytes: Buffer, connectionId: number): void {
    for (const client of this.clients) if (client.info.id === connectionId) client.stream.write(bytes);
  }

  // ---- REST ----

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'POST' || url.pathname !== '/basix/api/call_user') {
      return reply(response, 404, { result_code: 404, error: { id: 'not_found' } });
    }
    if (!this.authorised(request, this.restToken ?? this.token)) {
      return reply(response, 200, { result_code: 401, error: { id: 'authentication_required' } });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    } catch {
      return reply(response, 400, { result_code: 400, error: { id: 'invalid_json' } });
    }
    this.callUserRequests.push(body);
    this.emit('callUser', body);
    const user = typeof body.user_name === 'string' ? this.userNamed(body.user_name) : undefined;
    const destination = typeof body.destination === 'string' ? body.destination : '';
    if (!user) return reply(response, 200, { result_code: 1, error: { id: 'user_not_found' } });
    if (!destination) return reply(response, 200, { result_code: 1, error: { id: 'destination_required' } });
    const refused = this.callUserErrors[destination];
    if (refused) return reply(response, 200, { result_code: 1, error: { id: refused } });
    const uuid = this.book.clickToCall(user, destination, this.outcomes[destination] ?? 'answer');
    // The events of the new leg are on the ws_cti sockets already: the reply comes after them.
    const send = (): void => reply(response, 200, { result_code: 0, uuids: [uuid] });
    if (this.replyDelayMs > 0) setTimeout(send, this.replyDelayMs);
    else setImmediate(send);
  }

  private authorised(request: IncomingMessage, token = this.token): boolean {
    const expected = `Basic ${Buffer.from(`${this.domain}:${token}`).toString('base64')}`;
    return request.headers.authorization === expected;
  }

  // ---- ws_cti ----

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.upgradeRequests.push({ url: request.url ?? '', headers: request.headers });
    if (url.pathname !== '/basix/api/ws_cti') return refuseUpgrade(socket, 404, 'Not Found');
    if (!this.authorised(request)) {
      return refuseUpgrade(socket, this.options.authFailureStatus ?? 401, 'Unauthorized');
    }
    const appName = url.searchParams.get('app_name');
    if (!appName) return refuseUpgrade(socket, 400, 'Bad Request');
    const userName = url.searchParams.get('user_name');
    const forced = url.searchParams.get('forced') === 'true' || url.searchParams.get('force') === 'true';
    this.wss.handleUpgrade(request, socket, head, (ws) =>
      this.accept(ws, socket, { appName, userName, forced }),
    );
  }

  private accept(
    socket: WebSocket,
    stream: Duplex,
    how: { appName: string; userName: string | null; forced: boolean },
  ): void {
    const info: SimCtiConnection = { id: this.nextId++, ...how, commands: [], open: true };
    const client: Client = {
      info,
      socket,
      stream,
      userId: this.userNamed(how.userName ?? '')?.id ?? null,
      corked: false,
    };
    this.connections.push(info);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      info.open = false;
      this.clients.delete(client);
    });
    socket.on('message', (data, isBinary) => this.onCommand(client, isBinary ? null : data.toString()));
    this.emit('connection', info);
    const sameSlot = [...this.clients].filter(
      (other) => other.info.appName === how.appName && other.info.userName === how.userName,
    );
    if (sameSlot.length >= (this.options.connectionLimit ?? 2)) {
      if (!how.forced) {
        socket.send(systemMsgFrame('connection_limit_reached'), { binary: true });
        if (this.options.closeOnLimit ?? true) socket.close(1000);
        return;
      }
      const oldest = sameSlot[0]!;
      oldest.socket.send(systemMsgFrame('connection_replaced'), { binary: true });
      oldest.socket.close(1000);
      this.clients.delete(oldest);
      oldest.info.open = false;
    }
    this.clients.add(client);
    this.corkForTick(client);
    const send = (frame: Buffer): void => socket.send(frame, { binary: true });
    send(fieldSpecFrame('user', this.userOrder));
    send(
      initialInfoFrame(
        'user',
        this.users.map((user) => userRecord(user, this.userOrder)),
      ),
    );
    send(fieldSpecFrame('group_member', GROUP_MEMBER_FIELDS));
    send(initialInfoFrame('group_member', []));
    send(fieldSpecFrame('channel', this.channelOrder));
    send(
      initialInfoFrame(
        'channel',
        this.book
          .live()
          .filter((c) => this.shows(client, c))
          .map((c) => this.record(c)),
      ),
    );
  }

  private onCommand(client: Client, text: string | null): void {
    let command: unknown;
    try {
      command = text === null ? null : JSON.parse(text);
    } catch {
      command = null;
    }
    if (command === null || typeof command !== 'object' || Array.isArray(command)) return; // no reply: unknown
    const parsed = command as Record<string, unknown>;
    client.info.commands.push(parsed);
    this.emit('command', parsed, client.info.id);
    if (parsed.cmd === 'hangup' && typeof parsed.uuid === 'string') this.book.hangup(parsed.uuid);
    // Other commands (park, transfer, …) and unknown ones: ignored, no reply (as far as is known).
  }

  private broadcastChannel(channel: SimChannel, event: ChannelEvent): void {
    let frame: Buffer | null = null;
    for (const client of this.clients) {
      if (!this.shows(client, channel)) continue;
      frame ??= this.channelFrame(channel, event);
      this.corkForTick(client);
      client.socket.send(frame, { binary: true });
    }
  }

  private channelFrame(channel: SimChannel, event: ChannelEvent): Buffer {
    return infoEventFrame('channel', this.record(channel), event);
  }

  private record(channel: SimChannel): Tuple {
    return recordOf(channel, this.channelOrder);
  }

  private shows(client: Client, channel: SimChannel): boolean {
    if (!this.options.filterByUser || client.userId === null) return true;
    return channel.user_id === client.userId;
  }

  /** Frames of one tick reach the client in one TCP read, as a real server writes what it has at once. */
  private corkForTick(client: Client): void {
    if (client.corked) return;
    client.corked = true;
    client.stream.cork();
    process.nextTick(() => {
      client.corked = false;
      client.stream.uncork();
    });
  }

  private userNamed(name: string): SimUser | undefined {
    return this.users.find((user) => user.name === name);
  }
}

function syntheticChannel(uuid: string, user: SimUser): SimChannel {
  return {
    uuid,
    direction: 'outbound',
    peer_location: 'internal',
    calling_number: '0312341234',
    called_number: user.extension,
    offer_timestamp: 1_546_839_040_024_071,
    user_id: user.id,
    last_event: 'STATE_CHANGE',
  };
}

function reply(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 65_536) request.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
