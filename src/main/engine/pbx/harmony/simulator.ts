// A simulated Harmony Integration Server with one Interaction Processor, on 127.0.0.1 only. It speaks the
// contract's default wire profile, or the same `protocol` overrides the adapter takes, so a test can prove
// an override end to end. Built from the same (partly inferred) profile as the client: it proves the two
// agree, not that a real server behaves so (see README.md).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { harmonyProtocol, type HarmonyProtocol, type HarmonyProtocolOverrides } from './profile';
import { SimEvents, type SimCallShape } from './simulator-events';
import { SimPeer } from './simulator-peer';
import { atPath, Envelope, isObject, parseMessage, text, type Message } from './wire';

/**
 * What the far end does when a number is dialled: `answer` (dialing, alerting, started), `ring` (never
 * answers), `busy` (ends in the same write as the dial's response), `fail` (channel.dial failure), `silent`
 * (success, no events).
 */
export type OutgoingScript = 'answer' | 'ring' | 'busy' | 'fail' | 'silent';

export interface SimAgent {
  id: string;
  password: string;
}

export interface HarmonySimulatorOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Serve TLS with this certificate. */
  tls?: { cert: string; key: string };
  protocol?: HarmonyProtocolOverrides;
  agents?: SimAgent[];
  /** Protocol index handed out for dcp (default 1). */
  dcpIndex?: number;
  /** Agents whose session already exists elsewhere (prepareSession answers confirm). */
  signedInElsewhere?: string[];
  outgoing?: Record<string, OutgoingScript>;
  defaultOutgoing?: OutgoingScript;
  /** Dial → alerting and alerting → started (default 20 ms each). */
  delays?: { alertMs?: number; answerMs?: number };
  /** Send channel.dial's response after its secondary events (same write). */
  replyAfterEvents?: boolean;
  /** Commands (DCP `command`) never answered, to exercise client timeouts. */
  ignore?: string[];
  /** A new session already has a Telephony channel for this endpoint (replayed at bindResource). */
  presetChannel?: string;
  /** channel events carry no data (as the documented example): the endpoint is not said. */
  anonymousChannels?: boolean;
}

export interface SimReceived {
  connectionId: number;
  index: number;
  message: Message;
}

export interface SimCallView {
  id: string;
  agentId: string;
  direction: 'inbound' | 'outbound';
  state: string;
  peer: string;
  interaction: string;
}

interface SimSession {
  id: string;
  agentId: string;
  /** The client that prepared (and may bind) it; null: signed in elsewhere. */
  owner: SimPeer | null;
  bound: boolean;
  channels: { target: string; endpoint: string; type: string }[];
  /** Events go to every client (another agent's session: the adapter must ignore them). */
  broadcast?: boolean;
}

interface SimCall extends SimCallShape {
  id: string;
  session: SimSession;
  state: string;
  timers: Set<NodeJS.Timeout>;
}

interface SimulatorEvents {
  /** Every decoded client message, as it arrives. */
  message: [message: Message, connectionId: number];
  connection: [connectionId: number];
  disconnect: [connectionId: number];
}

const SERVICE_ID = 'e70f36a4-982f-47e2-9420-780ebe581f36';

export class HarmonySimulator extends EventEmitter<SimulatorEvents> {
  readonly protocol: HarmonyProtocol;
  /** Every client message received, oldest first. */
  readonly messages: SimReceived[] = [];
  /** channel.dial's response comes this long after the request (events at once); a late accept. */
  resultDelayMs = 0;
  private readonly envelope: Envelope;
  private readonly events: SimEvents;
  private readonly agents: Map<string, SimAgent>;
  private readonly outgoing: Map<string, OutgoingScript>;
  private readonly peers = new Map<number, SimPeer>();
  private readonly sessions = new Map<string, SimSession>();
  private readonly calls = new Map<string, SimCall>();
  private server: net.Server | null = null;
  private address: string | null = null;
  private nextPeerId = 1;
  private nextObjectId = 1;
  acceptedConnections = 0;

  constructor(private readonly options: HarmonySimulatorOptions = {}) {
    super();
    this.protocol = harmonyProtocol(options.protocol);
    this.envelope = new Envelope(this.protocol);
    this.events = new SimEvents(this.protocol, options.anonymousChannels ?? false);
    this.agents = new Map((options.agents ?? [{ id: '1001', password: 'pw' }]).map((a) => [a.id, a]));
    this.outgoing = new Map(Object.entries(options.outgoing ?? {}));
    for (const agentId of options.signedInElsewhere ?? []) this.signInElsewhere(agentId);
  }

  get url(): string {
    if (!this.address) throw new Error('simulator not started');
    return this.address;
  }

  async start(): Promise<{ url: string }> {
    const server = this.options.tls
      ? tls.createServer(this.options.tls, (socket) => this.accept(socket))
      : net.createServer((socket) => this.accept(socket));
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.address = `${this.options.tls ? 'tls' : 'tcp'}://127.0.0.1:${port}`;
    return { url: this.address };
  }

  async stop(): Promise<void> {
    for (const call of [...this.calls.values()]) this.discard(call);
    for (const peer of this.peers.values()) peer.socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Received DCP requests with this command, oldest first. */
  received(command: string): Message[] {
    return this.messages
      .filter((entry) => this.envelope.command(entry.message) === command)
      .map((entry) => entry.message);
  }

  liveCalls(): SimCallView[] {
    return [...this.calls.values()].map((call) => ({
      id: call.id,
      agentId: call.session.agentId,
      direction: call.direction,
      state: call.state,
      peer: call.peer,
      interaction: call.interaction,
    }));
  }

  /** Sessions that exist now, with the agent and whether a client is bound. */
  liveSessions(): {
    id: string;
    agentId: string;
    bound: boolean;
    connectionId: number | null;
    /** Channel targets, oldest first. */
    channels: string[];
  }[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      agentId: s.agentId,
      bound: s.bound,
      connectionId: s.owner?.id ?? null,
      channels: s.channels.map((channel) => channel.target),
    }));
  }

  openConnections(): number {
    return [...this.peers.values()].filter((peer) => peer.open).length;
  }

  /** Some other client holds a session of this agent (prepareSession then answers confirm). */
  signInElsewhere(agentId: string): void {
    const id = this.newId('session');
    this.sessions.set(id, { id, agentId, owner: null, bound: true, channels: [] });
  }

  scriptOutgoing(number: string, script: OutgoingScript): void {
    this.outgoing.set(number, script);
  }

  /** A call from `from` to an agent's Telephony channel (default: the first agent with one). Returns its id. */
  placeInboundCall(call: { from: string; agentId?: string }): string {
    const session = [...this.sessions.values()].find(
      (s) => s.channels.length > 0 && (call.agentId === undefined || s.agentId === call.agentId),
    );
    if (!session)
      throw new Error(`no simulated session with a channel${call.agentId ? ` for ${call.agentId}` : ''}`);
    const created = this.createCall(session, session.channels[0]!.target, 'inbound', call.from, 'ALERTING');
    this.deliver(session, this.events.inbound(created));
    return created.id;
  }

  /** A call of another agent, whose events every client sees (a leaky server): never the operator's. */
  otherAgentCall(from = '0301234567'): string {
    const id = this.newId('session');
    const session: SimSession = {
      id,
      agentId: 'other-agent',
      owner: null,
      bound: true,
      channels: [{ target: `${id}.${this.newId('channel')}`, endpoint: '2002', type: 'Telephony' }],
      broadcast: true,
    };
    this.sessions.set(id, session);
    const created = this.createCall(session, session.channels[0]!.target, 'inbound', from, 'ALERTING');
    this.deliver(session, this.events.inbound(created));
    return created.id;
  }

  /** The operator picks up an inbound call. */
  answerCall(callId: string): void {
    const call = this.requireCall(callId);
    this.progress(call, 'STARTED');
  }

  /** The far end hangs up (default: the newest call). `conversationOnly`: no interaction.ended follows. */
  remoteHangup(callId?: string, how: { conversationOnly?: boolean } = {}): void {
    const call = callId === undefined ? [...this.calls.values()].at(-1) : this.requireCall(callId);
    if (!call) throw new Error('no live simulated call');
    this.finishCall(call, !how.conversationOnly);
  }

  /** The server forgets every call without a word (a CTI restart): a release then answers "not found". */
  forgetCalls(): void {
    for (const call of [...this.calls.values()]) this.discard(call);
  }

  /** Sends `message` as it is to the client bound to the agent's session (a trace of something new). */
  sendToAgent(agentId: string, message: Message): void {
    const session = [...this.sessions.values()].find((s) => s.agentId === agentId && s.owner);
    if (!session) throw new Error(`no session of agent ${agentId} with a client`);
    this.deliver(session, [message]);
  }

  /** The session id of the agent's session that has a client, for targets in scripted messages. */
  sessionOf(agentId: string): string {
    const session = [...this.sessions.values()].find((s) => s.agentId === agentId && s.owner);
    if (!session) throw new Error(`no session of agent ${agentId} with a client`);
    return session.id;
  }

  /** Cut every connection without a word; their sessions die with them. */
  dropAllConnections(): void {
    for (const peer of this.peers.values()) peer.socket.destroy();
  }

  private accept(socket: net.Socket): void {
    const peer = new SimPeer(this.nextPeerId++, socket, this.protocol);
    this.acceptedConnections += 1;
    this.peers.set(peer.id, peer);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => this.receive(peer, chunk));
    socket.on('close', () => this.closed(peer));
    this.emit('connection', peer.id);
  }

  private closed(peer: SimPeer): void {
    if (!this.peers.delete(peer.id)) return;
    // A session lives as long as its connection.
    for (const session of [...this.sessions.values()])
      if (session.owner === peer) this.destroySession(session);
    this.emit('disconnect', peer.id);
  }

  private receive(peer: SimPeer, chunk: Buffer): void {
    if (peer.closing) return;
    const { frames, fault } = peer.frames(chunk);
    for (const frame of frames) {
      if (peer.closing) return;
      const message = parseMessage(frame.content);
      if (!message) {
        peer.refuse('Frame content is not a JSON object');
        return;
      }
      this.messages.push({ connectionId: peer.id, index: frame.index, message });
      this.emit('message', message, peer.id);
      if (frame.index === this.protocol.framing.transportIndex) this.onTransport(peer, message);
      else if (frame.index === peer.dcpIndex) this.onDcp(peer, message);
      else peer.refuse(`Unknown protocol index ${frame.index}`);
    }
    if (fault) peer.refuse(fault.message);
  }

  private onTransport(peer: SimPeer, message: Message): void {
    const t = this.protocol.messageTypes;
    const f = this.protocol.fields;
    const type = this.envelope.messageType(message);
    if (type === t.handshake) {
      peer.handshaken = true;
      peer.sendTransport({ [f.messageType]: t.handshakeResponse, [f.result]: 'success' });
    } else if (type === t.negotiate && peer.handshaken) {
      const { protocolName, protocolVersion } = this.protocol.transport;
      const asked = Array.isArray(message.protocols) ? message.protocols : [];
      const ok = asked.some((p) => isObject(p) && p.name === protocolName && p.version === protocolVersion);
      if (ok) peer.dcpIndex = this.options.dcpIndex ?? 1;
      peer.sendTransport({
        [f.messageType]: t.negotiateResponse,
        protocols: ok ? [{ name: protocolName, version: protocolVersion, index: peer.dcpIndex }] : [],
      });
    } else {
      peer.refuse(`Unexpected transport message ${type ?? '(none)'}`);
    }
  }

  private onDcp(peer: SimPeer, request: Message): void {
    const c = this.protocol.commands;
    const command = this.envelope.command(request) ?? '';
    if (this.options.ignore?.includes(command)) return;
    const type = this.envelope.messageType(request);
    const t = this.protocol.messageTypes;
    if (type === t.coreRequest) {
      if (command === c.getServices)
        return this.reply(peer, request, 'success', { services: this.services() });
      if (command === c.bindService) {
        const known = text(request[this.protocol.fields.serviceId]) === SERVICE_ID;
        return known
          ? this.reply(peer, request, 'success')
          : this.failure(peer, request, 'UNKNOWN_SERVICE', 'No such service');
      }
      if (command === c.bindResource) return this.bindResource(peer, request);
    } else if (type === t.serviceRequest && command === c.prepareSession) {
      return this.prepareSession(peer, request);
    } else if (type === t.serviceRequest && command === 'getCapabilities') {
      // Capability keys are not public; `telephony` is inferred.
      return this.reply(peer, request, 'success', {
        [this.protocol.fields.data]: { telephony: true, multimedia: false },
      });
    } else if (type === t.resourceRequest) {
      return this.resourceRequest(peer, request, command);
    }
    this.failure(peer, request, 'UNSUPPORTED', `Unsupported request ${command}`);
  }

  private services(): Message[] {
    // A second service first: a client must pick the Interaction Processor, not the first entry.
    return [
      { id: 'c0nf16-service', type: 'ConfigClient', info: { vendor: 'OpenMethods', version: '17.1.0' } },
      {
        id: SERVICE_ID,
        type: this.protocol.calls.serviceType,
        info: {
          vendor: 'OpenMethods',
          version: '4.0-sim',
          'cti-vendor': 'Simulated CTI',
          'cti-version': '1.0',
          'instance-domain': 'sim',
        },
      },
    ];
  }

  private prepareSession(peer: SimPeer, request: Message): void {
    const data = this.envelope.data(request);
    const agentId = text(atPath(data, 'agent.id')) ?? '';
    const password = text(atPath(data, 'agent.password')) ?? '';
    const original = { command: this.envelope.command(request), data };
    const agent = this.agents.get(agentId);
    if (!agent || agent.password !== password) {
      return this.failure(peer, request, 'AUTHENTICATION_FAILED', 'Invalid agent id or password', original);
    }
    const existing = [...this.sessions.values()].find((s) => s.agentId === agentId);
    if (existing && data.override !== true) {
      return this.reply(peer, request, 'confirm', {
        message: `Agent ${agentId} already has a session. Destroy it and continue?`,
        original,
      });
    }
    if (existing) this.destroySession(existing);
    const id = this.newId('session');
    const channels = this.options.presetChannel
      ? [
          {
            target: `${id}.${this.newId('channel')}`,
            endpoint: this.options.presetChannel,
            type: 'Telephony',
          },
        ]
      : [];
    this.sessions.set(id, { id, agentId, owner: peer, bound: false, channels });
    // Documented: the success response echoes the request data, password included.
    this.reply(peer, request, 'success', { resource: { id, data } });
  }

  private bindResource(peer: SimPeer, request: Message): void {
    const session = this.sessions.get(text(request[this.protocol.fields.resourceId]) ?? '');
    if (!session) return this.failure(peer, request, 'NOT_FOUND', 'No such resource');
    // "Designed to only allow a single client to bind to it."
    if (session.owner !== peer || session.bound) {
      return this.failure(peer, request, 'ALREADY_BOUND', 'The session is bound to another client');
    }
    session.bound = true;
    this.reply(peer, request, 'success');
    const replay: Message[] = [];
    for (const channel of session.channels) {
      replay.push(...this.events.channelInitialized(channel.target, channel.endpoint, channel.type));
    }
    for (const call of this.calls.values()) {
      if (call.session === session)
        replay.push(this.events.interactionCreated(call), ...this.events.progress(call, call.state));
    }
    replay.push(this.events.event(this.protocol.events.sessionInitialized, session.id));
    for (const event of replay) peer.sendDcp(event);
  }

  private resourceRequest(peer: SimPeer, request: Message, command: string): void {
    const c = this.protocol.commands;
    const session = this.sessions.get(text(request[this.protocol.fields.resourceId]) ?? '');
    if (!session || session.owner !== peer || !session.bound) {
      return this.failure(peer, request, 'NOT_BOUND', 'No bound resource with that id');
    }
    const target = this.envelope.target(request) ?? '';
    const data = this.envelope.data(request);
    switch (command) {
      case c.addChannel: {
        const endpoint = text(atPath(data, 'channel.endpoint')) ?? '';
        const type = text(atPath(data, 'channel.type')) ?? 'Telephony';
        if (target !== session.id || !endpoint) {
          return this.failure(peer, request, 'INVALID', 'Bad addchannel');
        }
        if (session.channels.some((channel) => channel.endpoint === endpoint)) {
          return this.failure(peer, request, 'CHANNEL_EXISTS', `A channel for ${endpoint} already exists`);
        }
        const channel = { target: `${session.id}.${this.newId('channel')}`, endpoint, type };
        session.channels.push(channel);
        this.reply(peer, request, 'success', { [this.protocol.fields.data]: data });
        for (const event of this.events.channelInitialized(channel.target, endpoint, type))
          peer.sendDcp(event);
        return;
      }
      case c.dial:
        return this.dial(peer, session, request, target, data);
      case c.release: {
        const call = [...this.calls.values()].find(
          (candidate) => candidate.conversation === target || candidate.interaction === target,
        );
        if (!call || call.session !== session) {
          return this.failure(peer, request, 'NOT_FOUND', 'Conversation not found');
        }
        this.reply(peer, request, 'success');
        this.finishCall(call, true);
        return;
      }
      case c.logout:
        // Documented: the response comes only after the logout completed; no secondary events.
        this.destroySession(session);
        this.reply(peer, request, 'success');
        return;
      default:
        this.failure(peer, request, 'UNSUPPORTED', `Unsupported command ${command}`);
    }
  }

  private dial(peer: SimPeer, session: SimSession, request: Message, target: string, data: Message): void {
    const number = text(data.destination) ?? '';
    const channel = session.channels.find((candidate) => candidate.target === target);
    if (!channel || !number)
      return this.failure(peer, request, 'INVALID', 'Unknown channel or no destination');
    const script = this.outgoing.get(number) ?? this.options.defaultOutgoing ?? 'answer';
    if (script === 'fail') return this.failure(peer, request, 'DIAL_FAILED', `Cannot dial ${number}`);
    const respond = (): void => this.reply(peer, request, 'success', { [this.protocol.fields.data]: data });
    if (script === 'silent') return respond();
    const call = this.createCall(session, channel.target, 'outbound', number, 'DIALING');
    const events = this.events.dialSecondary(call);
    if (script === 'busy') {
      call.state = 'BUSY';
      events.push(...this.events.progress(call, 'BUSY'), ...this.events.end(call));
      this.calls.delete(call.id);
    }
    const delayed = this.resultDelayMs > 0;
    if (!delayed && !this.options.replyAfterEvents) respond();
    this.deliver(session, events);
    if (delayed) setTimeout(respond, this.resultDelayMs);
    else if (this.options.replyAfterEvents) respond();
    if (script === 'busy') return;
    const { alertMs = 20, answerMs = 20 } = this.options.delays ?? {};
    this.after(call, alertMs, () => {
      this.progress(call, 'ALERTING');
      if (script === 'answer') this.after(call, answerMs, () => this.progress(call, 'STARTED'));
    });
  }

  private createCall(
    session: SimSession,
    channel: string,
    direction: 'inbound' | 'outbound',
    peer: string,
    state: string,
  ): SimCall {
    const interaction = `${channel}.${this.newId('interaction')}`;
    const call: SimCall = {
      id: interaction.split('.').at(-1)!,
      session,
      channel,
      interaction,
      conversation: `${interaction}.${this.newId('conversation')}`,
      direction,
      peer,
      state,
      timers: new Set(),
    };
    this.calls.set(call.id, call);
    return call;
  }

  private progress(call: SimCall, state: string): void {
    if (!this.calls.has(call.id)) return;
    call.state = state;
    this.deliver(call.session, this.events.progress(call, state));
  }

  private finishCall(call: SimCall, withInteractionEnded: boolean): void {
    this.discard(call);
    this.deliver(call.session, this.events.end(call, withInteractionEnded));
  }

  private discard(call: SimCall): void {
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
    this.calls.delete(call.id);
  }

  private destroySession(session: SimSession): void {
    for (const call of [...this.calls.values()]) if (call.session === session) this.discard(call);
    this.sessions.delete(session.id);
  }

  private after(call: SimCall, ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      action();
    }, ms);
    call.timers.add(timer);
  }

  /** Events go to the client bound to the session; another agent's session leaks to everyone. */
  private deliver(session: SimSession, events: Message[]): void {
    const peers = session.broadcast ? [...this.peers.values()] : session.owner ? [session.owner] : [];
    for (const peer of peers) for (const event of events) peer.sendDcp(event);
  }

  private reply(peer: SimPeer, request: Message, result: string, extra: Message = {}): void {
    const f = this.protocol.fields;
    const type = (this.envelope.messageType(request) ?? '').replace(/Request$/, 'Response');
    peer.sendDcp({
      [f.messageType]: type,
      [f.requestId]: request[f.requestId],
      [f.command]: this.envelope.command(request),
      ...(request[f.target] !== undefined ? { [f.target]: request[f.target] } : {}),
      [f.result]: result,
      ...extra,
    });
  }

  private failure(
    peer: SimPeer,
    request: Message,
    code: string,
    message: string,
    original: Message = request,
  ): void {
    this.reply(peer, request, 'failure', { failure: { code, message, context: '' }, original });
  }

  private requireCall(callId: string): SimCall {
    const call = this.calls.get(callId);
    if (!call) throw new Error(`no live simulated call ${callId}`);
    return call;
  }

  private newId(kind: string): string {
    return kind === 'session' ? randomUUID() : `${kind.slice(0, 3)}${this.nextObjectId++}`;
  }
}
