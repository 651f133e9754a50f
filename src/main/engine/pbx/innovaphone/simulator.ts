// A simulated innovaphone PBX: AppWebsocket login (direction A) and the RCC calls the bridge uses.
// Follows innovaphone's SDK documentation (AppWebsocket and RCC, sdk.innovaphone.com); where it leaves a
// message shape open, the shape here is inferred.
import { randomBytes, randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { appLoginDigest } from './digest';
import {
  causeInfo,
  DEFAULT_DELAYS,
  outgoingSteps,
  STATE,
  type CallStep,
  type OutgoingScript,
  type SimDelays,
} from './simulator-scripts';
import { SimUserBook, userInfoMessage, type SimUser, type SimUserConfig } from './simulator-users';
import { asInt, asString, parseWireMessage, type WireMessage } from './wire';

export type { OutgoingScript, SimDelays } from './simulator-scripts';
export type { SimUserConfig } from './simulator-users';

export interface SimAppObject {
  /** App object Name (what AppLogin's `app` names). */
  name: string;
  password: string;
  /** "Grant access to APIs: RCC" (default true). Without it RCC requests get no answer. */
  rcc?: boolean;
}

export interface InnovaphoneSimulatorOptions {
  apps?: SimAppObject[];
  users?: SimUserConfig[];
  /** Listening port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  path?: string;
  /** Serve wss:// with this certificate. */
  tls?: { cert: string; key: string };
  /** Challenge form: innovaphone uses digits; hex letters and a JSON number exercise the client. */
  challenge?: 'digits' | 'hex' | 'number';
  /** `error` of a failed AppLoginResult; null sends none (the failure body is undocumented). */
  loginError?: string | null;
  closeOnLoginFailure?: boolean;
  /** API messages before a successful login: ignored (default) or answered with an error. */
  beforeLogin?: 'ignore' | 'error';
  /** How a call's last CallInfo is marked (default both). */
  endMarker?: 'msg' | 'flag' | 'both';
  /** Send the first CallInfo of a UserCall before its UserCallResult. */
  callInfoBeforeResult?: boolean;
  /**
   * UserCall from a non-innovaphone phone: the PBX first offers the call to the user's own phone, so the
   * first CallInfo has the 0x80 bit (SOAP: "the PBX may place a call and once it is accepted, it places
   * another call to the destination"). How a real PBX shows both legs is unknown; modelled on one handle.
   */
  callbackDevice?: boolean;
  /** Script per dialled number; others follow `defaultOutgoing` (default 'answer'). */
  outgoing?: Record<string, OutgoingScript>;
  defaultOutgoing?: OutgoingScript;
  delays?: Partial<SimDelays>;
  /** Send a UserInfo update for the first user before InitializeResult (allowed by RCC.htm). */
  interleaveUpdate?: boolean;
  /** Message types swallowed without an answer (to exercise client timeouts), e.g. ["UserCall"]. */
  ignore?: string[];
  /** Calls outlive the connection that watched them; a later UserInitialize sees them with new handles. */
  callsSurviveDisconnect?: boolean;
}

export interface SimReceivedMessage {
  connectionId: number;
  at: number;
  message: Record<string, unknown>;
}

export interface SimConnectionView {
  id: number;
  app: string | null;
  initialized: boolean;
  /** User handles of the UserInitialize monitors on this connection. */
  userHandles: number[];
}

export interface SimCallView {
  id: number;
  user: string;
  direction: 'outbound' | 'inbound';
  state: number;
  peer: string;
  /** This call's handle on each connection that watches it. */
  handles: { connectionId: number; call: number }[];
}

interface Monitor {
  handle: number;
  /** null: UserInitialize named an unknown or invisible user (still gets a handle, SOAP semantics). */
  userGuid: string | null;
  src: string;
}

interface SimConnection {
  id: number;
  socket: WebSocket;
  challenge: string | null;
  app: SimAppObject | null;
  initSrc: string | null;
  monitors: Map<number, Monitor>;
  callHandles: Map<SimCall, number>;
  /** The TCP (or TLS) stream under the WebSocket. */
  stream: Duplex;
  /** Corked until the end of this tick, so messages sent in one tick arrive in one TCP read. */
  corked: boolean;
}

interface SimCall {
  id: number;
  userGuid: string;
  conf: string;
  direction: 'outbound' | 'inbound';
  peer: { e164?: string; h323?: string; dn?: string };
  state: number;
  msg: string;
  timers: Set<NodeJS.Timeout>;
}

interface SimulatorEvents {
  /** Every parsed client message, as soon as it arrives (before the simulator acts on it). */
  message: [message: Record<string, unknown>, connectionId: number];
  connection: [connectionId: number];
  disconnect: [connectionId: number];
}

export const SIMULATOR_PATH = '/PBX0/APPS/websocket';

export class InnovaphoneSimulator extends EventEmitter<SimulatorEvents> {
  /** Every client message received, oldest first. */
  readonly messages: SimReceivedMessage[] = [];
  /** Connections accepted since start (open or not). */
  acceptedConnections = 0;
  private readonly options: InnovaphoneSimulatorOptions;
  private readonly apps: SimAppObject[];
  private readonly users: SimUserBook;
  private readonly delays: SimDelays;
  /** UserCallResult comes this long after UserCall (0: at once); tests set it to play a late accept. */
  resultDelayMs = 0;
  private readonly outgoing: Map<string, OutgoingScript>;
  private readonly connectionsById = new Map<number, SimConnection>();
  private readonly calls = new Map<number, SimCall>();
  private server: http.Server | https.Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private nextConnectionId = 1;
  private nextHandle = 1;
  private nextCallId = 1;
  private address: string | null = null;

  constructor(options: InnovaphoneSimulatorOptions = {}) {
    super();
    this.options = options;
    this.apps = options.apps ?? [{ name: 'dialler', password: 'pw' }];
    this.users = new SimUserBook(options.users ?? [{ cn: 'Operator One', e164: '101' }]);
    this.delays = { ...DEFAULT_DELAYS, ...options.delays };
    this.outgoing = new Map(Object.entries(options.outgoing ?? {}));
  }

  get url(): string {
    if (!this.address) throw new Error('simulator not started');
    return this.address;
  }

  async start(): Promise<{ url: string }> {
    const path = this.options.path ?? SIMULATOR_PATH;
    const server = this.options.tls ? https.createServer(this.options.tls) : http.createServer();
    server.on('request', (_request, response) => {
      response.writeHead(404).end();
    });
    server.on('upgrade', (request, socket, head) => {
      socket.on('error', () => undefined);
      const pathname = new URL(request.url ?? '/', 'http://sim').pathname;
      if (pathname !== path) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.address = `${this.options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}${path}`;
    return { url: this.address };
  }

  async stop(): Promise<void> {
    for (const call of [...this.calls.values()]) this.discard(call);
    for (const connection of this.connectionsById.values()) connection.socket.terminate();
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.wss.close();
  }

  /** Open connections. */
  connections(): SimConnectionView[] {
    return [...this.connectionsById.values()].map((connection) => ({
      id: connection.id,
      app: connection.app?.name ?? null,
      initialized: connection.initSrc !== null,
      userHandles: [...connection.monitors.keys()],
    }));
  }

  /** Received messages of one type, oldest first. */
  received(mt: string): Record<string, unknown>[] {
    return this.messages.filter((entry) => entry.message.mt === mt).map((entry) => entry.message);
  }

  liveCalls(): SimCallView[] {
    return [...this.calls.values()].map((call) => ({
      id: call.id,
      user: this.users.get(call.userGuid)?.cn ?? '',
      direction: call.direction,
      state: call.state,
      peer: call.peer.e164 ?? call.peer.h323 ?? '',
      handles: [...this.connectionsById.values()]
        .filter((connection) => connection.callHandles.has(call))
        .map((connection) => ({ connectionId: connection.id, call: connection.callHandles.get(call)! })),
    }));
  }

  /** Script what the far end does when `number` is dialled. */
  scriptOutgoing(number: string, script: OutgoingScript): void {
    this.outgoing.set(number, script);
  }

  /** A call from `from` to a user (default: the first user): x-alert, state 0x80 | alert. Returns its id. */
  placeInboundCall(call: { from: string; name?: string; to?: string }): number {
    const user = call.to === undefined ? this.users.all()[0] : this.users.byCn(call.to);
    if (!user) throw new Error(`no simulated user ${call.to ?? ''}`);
    const created = this.createCall(user, 'inbound', {
      e164: call.from,
      ...(call.name ? { dn: call.name } : {}),
    });
    this.step(created, { state: STATE.towardsUser | STATE.alert, msg: 'x-alert' });
    return created.id;
  }

  /** The operator picks up an inbound call: x-conn. */
  answerCall(callId: number): void {
    const call = this.requireCall(callId);
    this.step(call, { state: this.directionBit(call) | STATE.connected, msg: 'x-conn' });
  }

  /** The far end hangs up (default: the newest call): r-rel (or r-disc) with a cause, then the end marker. */
  remoteHangup(callId?: number, how: { cause?: number; msg?: 'r-rel' | 'r-disc' } = {}): void {
    const call = callId === undefined ? [...this.calls.values()].at(-1) : this.requireCall(callId);
    if (!call) throw new Error('no live simulated call');
    this.clearTimers(call);
    this.step(call, {
      state: this.directionBit(call) | STATE.discReceived,
      msg: how.msg ?? 'r-rel',
      cause: how.cause ?? 16,
    });
    this.after(call, this.delays.endMs, () => this.endCall(call));
  }

  /** Rename a user: a UserInfo update with the same guid and the new cn. */
  renameUser(cn: string, newCn: string): void {
    const user = this.requireUser(cn);
    user.cn = newCn;
    this.broadcastUser(user, 'upd');
  }

  /** Delete a user: UserInfo update "del"; its calls vanish. */
  deleteUser(cn: string): void {
    const user = this.requireUser(cn);
    for (const call of [...this.calls.values()]) if (call.userGuid === user.guid) this.discard(call);
    this.broadcastUser(user, 'del');
    this.users.remove(user);
  }

  /** Add a user: a UserInfo update to every connection whose App object may see it. */
  addUser(config: SimUserConfig): void {
    // The update value for a new user is undocumented ("present if not the initial transmission").
    this.broadcastUser(this.users.add(config), 'add');
  }

  /** Change which App objects may see a user: it appears ("add") or disappears ("del") for them. */
  setUserApps(cn: string, apps: string[] | null): void {
    const user = this.requireUser(cn);
    const before = new Map(this.liveConnections().map((c) => [c, this.visible(user, c)]));
    user.apps = apps;
    for (const [connection, wasVisible] of before) {
      const nowVisible = this.visible(user, connection);
      if (connection.initSrc === null || wasVisible === nowVisible) continue;
      this.send(connection, userInfoMessage(user, connection.initSrc, nowVisible ? 'add' : 'del'));
    }
  }

  /** Cut every connection without a close handshake (a network failure, a PBX restart). */
  dropAllConnections(): void {
    for (const connection of this.connectionsById.values()) connection.socket.terminate();
  }

  private accept(socket: WebSocket, stream: Duplex): void {
    const connection: SimConnection = {
      id: this.nextConnectionId++,
      socket,
      challenge: null,
      app: null,
      initSrc: null,
      monitors: new Map(),
      callHandles: new Map(),
      stream,
      corked: false,
    };
    this.acceptedConnections += 1;
    this.connectionsById.set(connection.id, connection);
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = parseWireMessage(data.toString());
      if (!message) return;
      this.messages.push({ connectionId: connection.id, at: Date.now(), message });
      this.emit('message', message, connection.id);
      this.handle(connection, message);
    });
    socket.on('close', () => this.forget(connection));
    this.emit('connection', connection.id);
  }

  private forget(connection: SimConnection): void {
    this.connectionsById.delete(connection.id);
    if (!this.options.callsSurviveDisconnect) {
      for (const call of [...this.calls.values()]) {
        if (!this.watchers(call).length) this.discard(call);
      }
    }
    this.emit('disconnect', connection.id);
  }

  private handle(connection: SimConnection, message: WireMessage): void {
    if (this.options.ignore?.includes(message.mt)) return;
    switch (message.mt) {
      case 'AppChallenge':
        return this.onChallenge(connection);
      case 'AppLogin':
        return this.onLogin(connection, message);
      case 'KeepAlive':
        return; // accepted, no reply (inferred: innovaphone's client library sends it).
    }
    if (!connection.app) {
      if (this.options.beforeLogin === 'error') {
        this.reply(connection, message, { error: 'not logged in' });
      }
      return;
    }
    if (message.api !== 'RCC' || connection.app.rcc === false) return;
    switch (message.mt) {
      case 'Initialize':
        return this.onInitialize(connection, message);
      case 'UserInitialize':
        return this.onUserInitialize(connection, message);
      case 'UserCall':
        return this.onUserCall(connection, message);
      case 'UserClear':
        return this.onUserClear(connection, message);
      case 'UserEnd':
        connection.monitors.delete(asInt(message.user) ?? -1);
        return this.reply(connection, message, {});
      default:
        return this.reply(connection, message, { error: 'not supported by the simulator' });
    }
  }

  private onChallenge(connection: SimConnection): void {
    const form = this.options.challenge ?? 'digits';
    const challenge: string | number =
      form === 'number'
        ? randomInt(1, 2 ** 47)
        : form === 'hex'
          ? randomBytes(8).toString('hex')
          : Array.from({ length: 16 }, () => randomInt(10)).join('');
    connection.challenge = String(challenge);
    this.send(connection, { mt: 'AppChallengeResult', challenge });
  }

  private onLogin(connection: SimConnection, message: WireMessage): void {
    const app = this.apps.find((candidate) => candidate.name === message.app);
    const challenge = connection.challenge;
    connection.challenge = null; // one login per challenge
    const expected =
      app && challenge !== null
        ? appLoginDigest(
            {
              app: asString(message.app),
              domain: asString(message.domain),
              sip: asString(message.sip),
              guid: asString(message.guid),
              dn: asString(message.dn),
              // The info segment exists only when `info` is present, as the JSON of what was received.
              infoJson: 'info' in message ? JSON.stringify(message.info) : undefined,
            },
            challenge,
            app.password,
          )
        : null;
    if (app && expected !== null && message.digest === expected) {
      connection.app = app;
      this.send(connection, { mt: 'AppLoginResult', ok: true });
      return;
    }
    const error = this.options.loginError === undefined ? 'Login failed' : this.options.loginError;
    this.send(connection, { mt: 'AppLoginResult', ok: false, ...(error !== null ? { error } : {}) });
    if (this.options.closeOnLoginFailure) connection.socket.close();
  }

  private onInitialize(connection: SimConnection, message: WireMessage): void {
    const src = asString(message.src) ?? '';
    connection.initSrc = src;
    const visible = this.users.visibleTo(connection.app!.name);
    for (const user of visible) this.send(connection, userInfoMessage(user, src));
    const first = visible[0];
    if (this.options.interleaveUpdate && first) this.send(connection, userInfoMessage(first, src, 'upd'));
    this.reply(connection, message, {});
  }

  private onUserInitialize(connection: SimConnection, message: WireMessage): void {
    const user = this.users.byCn(asString(message.cn) ?? '');
    const visible = user && this.visible(user, connection) ? user : undefined;
    const monitor: Monitor = {
      handle: this.nextHandle++,
      userGuid: visible?.guid ?? null,
      src: asString(message.src) ?? '',
    };
    connection.monitors.set(monitor.handle, monitor);
    this.reply(connection, message, {
      user: monitor.handle,
      prefixIntl: '000',
      prefixNtl: '00',
      prefixSubs: '',
      area: '7031',
      country: '49',
      maxIntern: 4,
    });
    // Calls already up for this user (e.g. after a reconnect) show up with this connection's handles.
    for (const call of this.calls.values()) {
      if (call.userGuid === monitor.userGuid) this.sendCallInfo(connection, monitor, call, { msg: 'update' });
    }
  }

  private onUserCall(connection: SimConnection, message: WireMessage): void {
    const monitor = connection.monitors.get(asInt(message.user) ?? -1);
    const user = monitor?.userGuid ? this.users.get(monitor.userGuid) : undefined;
    const destination = asString(message.e164) ?? asString(message.h323) ?? asString(message.cn) ?? '';
    const script = this.outgoing.get(destination) ?? this.options.defaultOutgoing ?? 'answer';
    if (!user || destination === '' || script === 'reject') {
      this.reply(connection, message, { call: 0 });
      return;
    }
    const peer = asString(message.e164) !== undefined ? { e164: destination } : { h323: destination };
    const call = this.createCall(user, 'outbound', peer);
    const handle = this.callHandle(connection, call);
    const setup = (): void => {
      if (script === 'silent') return;
      const state = this.options.callbackDevice ? STATE.towardsUser | STATE.setup : STATE.setup;
      this.step(call, { state, msg: 'x-setup' });
    };
    if (this.options.callInfoBeforeResult) setup();
    if (this.resultDelayMs > 0) {
      this.after(call, this.resultDelayMs, () => this.reply(connection, message, { call: handle }));
    } else {
      this.reply(connection, message, { call: handle });
    }
    if (!this.options.callInfoBeforeResult) {
      if (this.delays.setupMs === 0) setup();
      else this.after(call, this.delays.setupMs, setup);
    }
    this.runSteps(
      call,
      outgoingSteps(script, this.delays),
      this.options.callInfoBeforeResult ? 0 : this.delays.setupMs,
    );
  }

  private onUserClear(connection: SimConnection, message: WireMessage): void {
    const handle = asInt(message.call); // a number, or a string as some innovaphone code sends it
    const call = [...connection.callHandles].find(([, h]) => h === handle)?.[0];
    if (!call || !this.calls.has(call.id)) {
      this.reply(connection, message, { error: 'unknown call' });
      return;
    }
    this.reply(connection, message, {});
    this.clearTimers(call);
    this.step(call, { state: this.directionBit(call) | STATE.discSent, msg: 'x-rel' });
    this.after(call, this.delays.endMs, () => this.endCall(call));
  }

  private runSteps(call: SimCall, steps: CallStep[], startMs: number): void {
    let at = startMs;
    for (const step of steps) {
      at += step.afterMs;
      this.after(call, at, () => {
        this.step(call, step);
        if (step.ends) this.after(call, this.delays.endMs, () => this.endCall(call));
      });
    }
  }

  private createCall(user: SimUser, direction: SimCall['direction'], peer: SimCall['peer']): SimCall {
    const call: SimCall = {
      id: this.nextCallId++,
      userGuid: user.guid,
      conf: randomBytes(16).toString('hex'),
      direction,
      peer,
      state: 0,
      msg: '',
      timers: new Set(),
    };
    this.calls.set(call.id, call);
    return call;
  }

  /** Move a call to a new state and tell every connection that monitors its user. */
  private step(call: SimCall, change: { state: number; msg: string; cause?: number }): void {
    if (!this.calls.has(call.id)) return;
    call.state = change.state;
    call.msg = change.msg;
    for (const { connection, monitor } of this.watchers(call)) {
      this.sendCallInfo(connection, monitor, call, {
        msg: change.msg,
        ...(change.cause !== undefined ? { info: causeInfo(change.cause) } : {}),
      });
    }
  }

  private endCall(call: SimCall): void {
    if (!this.calls.has(call.id)) return;
    const marker = this.options.endMarker ?? 'both';
    for (const { connection, monitor } of this.watchers(call)) {
      this.sendCallInfo(connection, monitor, call, {
        ...(marker !== 'flag' ? { msg: 'del' } : {}),
        ...(marker !== 'msg' ? { del: true } : {}),
      });
    }
    this.discard(call);
  }

  private discard(call: SimCall): void {
    this.clearTimers(call);
    this.calls.delete(call.id);
    for (const connection of this.connectionsById.values()) connection.callHandles.delete(call);
  }

  private sendCallInfo(
    connection: SimConnection,
    monitor: Monitor,
    call: SimCall,
    extra: Record<string, unknown>,
  ): void {
    const known = call.peer.e164 ? this.users.byNumber(call.peer.e164) : undefined;
    this.send(connection, {
      api: 'RCC',
      mt: 'CallInfo',
      src: monitor.src,
      user: monitor.handle,
      call: this.callHandle(connection, call),
      conf: call.conf,
      state: call.state,
      peer: { h323: known?.h323 ?? '', ...(known ? { cn: known.cn, dn: known.dn } : {}), ...call.peer },
      ...extra,
    });
  }

  /** 0x80 for calls to the user's phone. */
  private directionBit(call: SimCall): number {
    return call.direction === 'inbound' ? STATE.towardsUser : 0;
  }

  private watchers(call: SimCall): { connection: SimConnection; monitor: Monitor }[] {
    const out: { connection: SimConnection; monitor: Monitor }[] = [];
    for (const connection of this.connectionsById.values()) {
      for (const monitor of connection.monitors.values()) {
        if (monitor.userGuid === call.userGuid) out.push({ connection, monitor });
      }
    }
    return out;
  }

  /** Call handles are per connection; one counter for users and calls, so they never look alike. */
  private callHandle(connection: SimConnection, call: SimCall): number {
    let handle = connection.callHandles.get(call);
    if (handle === undefined) {
      handle = this.nextHandle++;
      connection.callHandles.set(call, handle);
    }
    return handle;
  }

  private broadcastUser(user: SimUser, update: string): void {
    for (const connection of this.liveConnections()) {
      if (connection.initSrc !== null && this.visible(user, connection)) {
        this.send(connection, userInfoMessage(user, connection.initSrc, update));
      }
    }
  }

  private visible(user: SimUser, connection: SimConnection): boolean {
    return connection.app !== null && this.users.isVisible(user, connection.app.name);
  }

  private liveConnections(): SimConnection[] {
    return [...this.connectionsById.values()];
  }

  private after(call: SimCall, ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      action();
    }, ms);
    call.timers.add(timer);
  }

  private clearTimers(call: SimCall): void {
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
  }

  private requireCall(callId: number): SimCall {
    const call = this.calls.get(callId);
    if (!call) throw new Error(`no live simulated call ${callId}`);
    return call;
  }

  private requireUser(cn: string): SimUser {
    const user = this.users.byCn(cn);
    if (!user) throw new Error(`no simulated user "${cn}"`);
    return user;
  }

  /** `<mt>Result` with the request's src echoed. */
  private reply(connection: SimConnection, request: WireMessage, fields: Record<string, unknown>): void {
    const api = request.api === undefined ? {} : { api: request.api };
    this.send(connection, { ...api, mt: `${request.mt}Result`, src: request.src, ...fields });
  }

  /** Like a real PBX, what is sent in one tick (a result and the CallInfo it caused) leaves in one write. */
  private send(connection: SimConnection, message: Record<string, unknown>): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    if (!connection.corked) {
      connection.corked = true;
      connection.stream.cork();
      process.nextTick(() => {
        connection.corked = false;
        connection.stream.uncork();
      });
    }
    connection.socket.send(JSON.stringify(message));
  }
}
