// The objectEvents the simulated Interaction Processor sends, named and shaped by the wire profile.
// Order of the channel.dial secondary events: OpenMethods' Session Resource page; bodies are inferred.
import type { HarmonyProtocol } from './profile';
import type { Message } from './wire';

export interface SimCallShape {
  /** <session>.<channel> */
  channel: string;
  /** <session>.<channel>.<interaction> */
  interaction: string;
  /** <session>.<channel>.<interaction>.<conversation> */
  conversation: string;
  direction: 'inbound' | 'outbound';
  /** The far end's number. */
  peer: string;
}

export class SimEvents {
  constructor(
    private readonly protocol: HarmonyProtocol,
    /** Channel events without data (the endpoint is not said). */
    private readonly anonymousChannels = false,
  ) {}

  event(name: string, target: string, data: Message = {}): Message {
    const f = this.protocol.fields;
    return {
      [f.messageType]: this.protocol.messageTypes.objectEvent,
      [f.target]: target,
      [f.name]: name,
      [f.data]: data,
    };
  }

  /** state.updated with the state where the profile's statePath says. */
  state(target: string, state: string): Message {
    const message = this.event(this.protocol.events.stateUpdated, target);
    return setPath(message, this.protocol.calls.statePath, state);
  }

  channelInitialized(target: string, endpoint: string, type: string): Message[] {
    const id = target.split('.').at(-1)!;
    const data = this.anonymousChannels ? {} : { channel: { id, endpoint, type } };
    return [
      this.event('channel.infochanged', target, data),
      this.event(this.protocol.events.channelInitialized, target, data),
      this.state(target, 'INACTIVE'),
    ];
  }

  /** interaction.created with direction and caller number where the profile's paths say. */
  interactionCreated(call: SimCallShape): Message {
    const { calls, events } = this.protocol;
    let message = this.event(events.interactionCreated, call.interaction, {
      interaction: { id: call.interaction.split('.').at(-1) },
    });
    message = setPath(message, calls.directionPath, call.direction);
    if (call.direction === 'inbound') message = setPath(message, calls.callerNumberPaths[0]!, call.peer);
    else message = setPath(message, 'data.interaction.destination', call.peer);
    return message;
  }

  /** The 11 secondary events of channel.dial, in the documented order. */
  dialSecondary(call: SimCallShape): Message[] {
    const e = this.protocol.events;
    return [
      this.event('channel.infochanged', call.channel),
      this.state(call.channel, 'ACTIVE'),
      this.interactionCreated(call),
      this.state(call.interaction, 'DIALING'),
      this.event(e.conversationCreated, call.conversation, { conversation: { type: 'primary' } }),
      this.state(call.conversation, 'DIALING'),
      this.event('conversation.member.added', call.conversation, { member: { address: call.peer } }),
      this.event('conversation.initialized', call.conversation),
      this.event('interaction.datachanged', call.interaction),
      this.event('interaction.preview', call.interaction),
      this.event('interaction.initialized', call.interaction),
    ];
  }

  /** An inbound call: created, alerting, its conversation. */
  inbound(call: SimCallShape): Message[] {
    const e = this.protocol.events;
    return [
      this.interactionCreated(call),
      this.state(call.interaction, 'ALERTING'),
      this.event(e.conversationCreated, call.conversation, { conversation: { type: 'primary' } }),
      this.state(call.conversation, 'ALERTING'),
      this.event('conversation.member.added', call.conversation, { member: { address: call.peer } }),
      this.event('conversation.initialized', call.conversation),
      this.event('interaction.initialized', call.interaction),
    ];
  }

  /** The interaction's state, mirrored on its conversation. */
  progress(call: SimCallShape, state: string): Message[] {
    return [this.state(call.interaction, state), this.state(call.conversation, state)];
  }

  /** The end: conversation disposed, then (unless only the conversation goes) the interaction ended. */
  end(call: SimCallShape, withInteractionEnded = true): Message[] {
    const e = this.protocol.events;
    const events = [
      this.state(call.conversation, 'DISCONNECTED'),
      this.event(e.conversationDisposed, call.conversation),
    ];
    if (withInteractionEnded) events.push(this.event(e.interactionEnded, call.interaction));
    return events;
  }
}

/** A copy of `message` with `value` at the dot path (objects created on the way). */
export function setPath(message: Message, path: string, value: unknown): Message {
  const copy = structuredClone(message);
  const keys = path.split('.');
  let node: Message = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
    node = node[key] as Message;
  }
  node[keys.at(-1)!] = value;
  return copy;
}
