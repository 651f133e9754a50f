// The Direct Client Protocol on one negotiated connection: getServices → bindService → prepareSession →
// bindResource → session.initialized → addchannel; then dial, release and logout on the agent session.
import type { Logger } from '../../log/logger';
import { PbxError, type PbxCallEvent } from '../adapter';
import { CallTracker, type TrackedCall } from './call-tracker';
import { RequestTimeoutError, type HarmonyConnection, type RequestKind } from './connection';
import type { HarmonyProfile } from './profile';
import { atPath, Envelope, failureText, isObject, text, type Message } from './wire';

/** The server said no to this agent's session: wrong credentials ('auth') or a session in use ('busy'). */
export class SessionRefusedError extends Error {
  override name = 'SessionRefusedError';
  constructor(
    readonly refused: 'auth' | 'busy',
    message: string,
  ) {
    super(message);
  }
}

export interface DcpSessionOptions {
  connection: HarmonyConnection;
  profile: HarmonyProfile;
  log: Logger;
  emitCall(event: PbxCallEvent): void;
  newCallId(): string;
}

/** What the operator reads when the agent's session is taken (contract wording). */
export const SIGNED_IN_ELSEWHERE = 'This agent is already signed in elsewhere';

export class DcpSession {
  private readonly envelope: Envelope;
  private readonly calls: CallTracker;
  private sessionId: string | null = null;
  private channel: string | null = null;
  private addingChannel = false;
  /** Channels of the replay whose endpoint the server did not say (a fallback if addchannel fails). */
  private readonly unnamedChannels = new Set<string>();
  private initialized = false;
  private onInitialized: (() => void) | null = null;
  private onChannel: (() => void) | null = null;
  private readonly pendingDials = new Set<Promise<unknown>>();
  private ended = false;

  constructor(private readonly options: DcpSessionOptions) {
    this.envelope = new Envelope(options.profile.protocol);
    this.calls = new CallTracker({
      protocol: options.profile.protocol,
      emit: options.emitCall,
      newCallId: options.newCallId,
      log: options.log,
      release: (call) => void this.release(call).catch(() => undefined),
    });
    options.connection.on('message', (message) => this.onMessage(message));
  }

  get isReady(): boolean {
    return !this.ended && this.channel !== null;
  }

  /** Runs the start-up; resolves with an operator-facing description of the link. */
  async start(): Promise<string> {
    const { profile } = this.options;
    const p = profile.protocol;
    const f = p.fields;
    const services = await this.core({ [f.command]: p.commands.getServices });
    const service = (Array.isArray(services.services) ? services.services : []).find(
      (entry) => isObject(entry) && text(entry.type) === p.calls.serviceType && text(entry.id),
    ) as Message | undefined;
    if (!service) throw new Error(`The Harmony server offers no ${p.calls.serviceType} service`);
    const serviceId = text(service.id)!;
    await this.core({ [f.command]: p.commands.bindService, [f.serviceId]: serviceId });
    this.sessionId = await this.prepareSession(serviceId);
    const initialized = new Promise<void>((resolve) => (this.onInitialized = resolve));
    await this.core({ [f.command]: p.commands.bindResource, [f.resourceId]: this.sessionId });
    await this.within(initialized, `${p.events.sessionInitialized} did not come`);
    if (!this.channel) await this.addChannelOrAdopt();
    const info = isObject(service.info) ? service.info : {};
    const vendor = [text(info['cti-vendor']), text(info['cti-version'])].filter(Boolean).join(' ');
    return `Agent ${profile.agentId} signed in on ${profile.extension}${vendor ? ` via ${vendor}` : ''}`;
  }

  async dial(callId: string, number: string, signal: AbortSignal): Promise<void> {
    const channel = this.channel;
    if (!this.isReady || !channel) throw new PbxError('offline', 'The Harmony session is not ready');
    const p = this.options.profile.protocol;
    const dial = this.calls.dialSent(callId, number);
    const abandon = (): void => this.calls.dialAbandoned(dial);
    signal.addEventListener('abort', abandon, { once: true });
    const attempt = this.resource(p.commands.dial, channel, { destination: number });
    this.pendingDials.add(attempt);
    let response: Message;
    try {
      response = await attempt;
    } catch (error) {
      this.calls.dialAbandoned(dial);
      if (error instanceof RequestTimeoutError) throw new PbxError('timeout', error.message);
      throw new PbxError('offline', 'The connection to the Harmony server was lost while dialling');
    } finally {
      this.pendingDials.delete(attempt);
      signal.removeEventListener('abort', abandon);
    }
    if (this.envelope.result(response) !== 'success') {
      const said = failureText(response) ?? this.envelope.result(response) ?? 'no reason given';
      this.calls.dialFailed(dial, said);
      throw new PbxError('rejected', `The Harmony server refused the call to ${number}: ${said}`);
    }
    if (signal.aborted)
      throw new PbxError('timeout', 'The Harmony server accepted the call too late; it was hung up');
    this.calls.dialAccepted(dial);
  }

  /** Releases one call, or every live call (after any dial in flight has settled). */
  async hangup(callId?: string): Promise<void> {
    let targets: TrackedCall[];
    if (callId === undefined) {
      await Promise.allSettled([...this.pendingDials]);
      targets = this.calls.live().filter((call) => !call.silent);
    } else {
      const call = this.calls.byId(callId);
      if (!call) throw new PbxError('not-found', 'That call has already ended');
      targets = [call];
    }
    await Promise.all(targets.map((call) => this.release(call)));
  }

  /** session.request.logout, waiting at most the logout timeout for its response. */
  async logout(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const sessionId = this.sessionId;
    if (!sessionId || !this.options.connection.isOpen) return;
    const p = this.options.profile.protocol;
    await this.request(
      'resourceRequest',
      this.resourceFields(p.commands.logout, sessionId, {}),
      p.timeouts.logoutMs,
    )
      .then((response) =>
        this.options.log.info('harmony logged out', { result: this.envelope.result(response) }),
      )
      .catch((error: unknown) =>
        this.options.log.warn('harmony logout unconfirmed', { error: String(error) }),
      );
  }

  /** The connection is gone: end every call and ignore anything that still arrives. */
  dispose(detail: string): void {
    this.ended = true;
    this.channel = null;
    this.calls.dispose('link-lost', detail);
  }

  private async prepareSession(serviceId: string, override = false): Promise<string> {
    const { profile } = this.options;
    const p = profile.protocol;
    const f = p.fields;
    const response = await this.request(
      'serviceRequest',
      {
        [f.serviceId]: serviceId,
        [f.command]: p.commands.prepareSession,
        [f.data]: {
          model: profile.model,
          override,
          agent: { id: profile.agentId, password: profile.password },
        },
      },
      p.timeouts.prepareSessionMs,
    );
    const result = this.envelope.result(response);
    if (result === 'success') {
      const id = text(atPath(response, 'resource.id'));
      if (!id) throw new Error('The Harmony server created a session without an id');
      return id;
    }
    if (result === 'confirm') {
      if (profile.overrideExistingSession && !override) {
        this.options.log.warn(
          'harmony: taking over the existing session of this agent (overrideExistingSession)',
        );
        return this.prepareSession(serviceId, true);
      }
      const said = text(response.message);
      throw new SessionRefusedError(
        'busy',
        `${SIGNED_IN_ELSEWHERE} (agent ${profile.agentId})${said ? `: the server says "${said}"` : ''}. ` +
          'Sign it out there, or set "overrideExistingSession": true in the profile to take the session over.',
      );
    }
    const said = failureText(response) ?? result ?? 'no reason given';
    throw new SessionRefusedError(
      'auth',
      `The Harmony server refused agent ${profile.agentId}: ${said}. Check the agent id and password in the profile.`,
    );
  }

  /**
   * addchannel; should the server refuse it while the replay showed exactly one channel without an endpoint
   * (the documented channel.initialized carries no data), that channel is taken as the operator's (inferred).
   */
  private async addChannelOrAdopt(): Promise<void> {
    try {
      await this.addChannel();
    } catch (error) {
      if (this.channel || this.unnamedChannels.size !== 1) throw error;
      const [target] = [...this.unnamedChannels];
      this.options.log.warn('harmony: addchannel failed; using the one channel the session already has', {
        error: error instanceof Error ? error.message : String(error),
        channel: target,
      });
      this.adopt(target!);
    }
  }

  private async addChannel(): Promise<void> {
    const p = this.options.profile.protocol;
    const sessionId = this.sessionId!;
    const added = new Promise<void>((resolve) => (this.onChannel = resolve));
    this.addingChannel = true;
    const response = await this.resource(p.commands.addChannel, sessionId, {
      channel: { endpoint: this.options.profile.extension, type: p.calls.channelType },
    });
    if (this.envelope.result(response) !== 'success') {
      const said = failureText(response) ?? 'no reason given';
      throw new Error(
        `The Harmony server did not add the ${p.calls.channelType} channel ${this.options.profile.extension}: ${said}`,
      );
    }
    await this.within(added, `${p.events.channelInitialized} did not come after ${p.commands.addChannel}`);
  }

  private async release(call: TrackedCall): Promise<void> {
    const p = this.options.profile.protocol;
    this.calls.markReleased(call);
    // Release every conversation of the interaction; before one exists, the interaction itself (inferred).
    const targets = call.conversations.size > 0 ? [...call.conversations] : [call.target];
    let responses: Message[];
    try {
      responses = await Promise.all(targets.map((target) => this.resource(p.commands.release, target, {})));
    } catch (error) {
      if (error instanceof RequestTimeoutError) throw new PbxError('timeout', error.message);
      throw new PbxError('offline', 'The connection to the Harmony server was lost while hanging up');
    }
    const refused = responses.find((response) => this.envelope.result(response) !== 'success');
    if (!refused) return;
    const said = failureText(refused) ?? 'no reason given';
    if (/not.?found|unknown|no such/i.test(said)) {
      this.calls.endLocally(call, `Harmony: ${said}`);
      return;
    }
    throw new PbxError('rejected', `The Harmony server refused to hang up: ${said}`);
  }

  private onMessage(message: Message): void {
    if (this.ended) return;
    const p = this.options.profile.protocol;
    if (this.envelope.messageType(message) !== p.messageTypes.objectEvent) {
      this.options.log.debug('harmony message not recognised', { message });
      return;
    }
    const name = this.envelope.name(message) ?? '';
    const target = this.envelope.target(message) ?? '';
    if (name === p.events.sessionInitialized) {
      this.options.log.debug('harmony event', { message });
      this.initialized = true;
      this.onInitialized?.();
      return;
    }
    if (name === p.events.channelInitialized) {
      this.options.log.debug('harmony event', { message });
      this.channelInitialized(target, message);
      return;
    }
    if (this.calls.onEvent(name, target, message)) this.options.log.debug('harmony event', { message });
    else this.options.log.debug('harmony event not recognised', { message });
  }

  /** Ours: the one after our addchannel, or (in the replay) an existing channel for the extension. */
  private channelInitialized(target: string, message: Message): void {
    if (this.channel || !this.sessionId || !target.startsWith(`${this.sessionId}.`)) return;
    const p = this.options.profile.protocol;
    const endpoint = text(atPath(message, 'data.channel.endpoint'));
    const type = text(atPath(message, 'data.channel.type'));
    const matches =
      endpoint === this.options.profile.extension && (type === undefined || type === p.calls.channelType);
    if (!this.addingChannel && !this.initialized && endpoint === undefined) this.unnamedChannels.add(target);
    if (!this.addingChannel && (this.initialized || !matches)) return;
    if (this.addingChannel && endpoint !== undefined && endpoint !== this.options.profile.extension) return;
    this.adopt(target);
  }

  private adopt(target: string): void {
    this.channel = target;
    this.calls.follow(target);
    this.options.log.info('harmony channel ready', { channel: target });
    this.onChannel?.();
  }

  private core(fields: Message): Promise<Message> {
    return this.request('coreRequest', fields, this.options.profile.protocol.timeouts.requestMs).then(
      (response) => {
        if (this.envelope.result(response) !== 'success') {
          const command = text(fields[this.options.profile.protocol.fields.command]);
          throw new Error(
            `The Harmony server refused ${command}: ${failureText(response) ?? 'no reason given'}`,
          );
        }
        return response;
      },
    );
  }

  private resource(command: string, target: string, data: Message): Promise<Message> {
    return this.request(
      'resourceRequest',
      this.resourceFields(command, target, data),
      this.options.profile.protocol.timeouts.requestMs,
    );
  }

  private resourceFields(command: string, target: string, data: Message): Message {
    const f = this.options.profile.protocol.fields;
    return { [f.resourceId]: this.sessionId, [f.command]: command, [f.target]: target, [f.data]: data };
  }

  private request(kind: RequestKind, fields: Message, timeoutMs: number): Promise<Message> {
    return this.options.connection.request(kind, fields, timeoutMs);
  }

  /** Waits for `promise` at most one request timeout. */
  private async within(promise: Promise<void>, what: string): Promise<void> {
    const ms = this.options.profile.protocol.timeouts.requestMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    });
    try {
      await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
