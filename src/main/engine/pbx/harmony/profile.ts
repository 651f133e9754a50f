// The Harmony profile: where the Integration Server is, whose agent session to open, and the wire profile.
// Much of Harmony's wire level is not public, so every inferred part is a default under `protocol`.
import * as z from 'zod';
import { nonEmpty, profileBase, tlsClientKeys } from '../../config/common';

/** tcp:// or tls:// host:port (Socket Transport). */
export const harmonyUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'tcp:' || url.protocol === 'tls:') && url.hostname !== '' && url.port !== '';
  } catch {
    return false;
  }
}, 'expected tcp://host:port or tls://host:port');

const name = z.string().trim().min(1, 'expected a non-empty name');
const names = z.array(name);

/** Socket Transport framing: `~!OM`, 1-byte protocol index, 4-byte length, content. */
const framingSchema = z
  .object({
    magic: z.string().length(4, 'expected 4 ASCII characters').default('~!OM'),
    lengthByteOrder: z.enum(['big', 'little']).default('big'),
    /** The index that carries transport messages (handshake, negotiate). */
    transportIndex: z.number().int().min(0).max(255).default(0),
    /** A longer frame is a protocol error (close and reconnect). */
    maxFrameBytes: z.number().int().min(1_024).max(16_777_216).default(1_048_576),
  })
  .strict()
  .prefault({});

/** Transport messages on the transport index. */
const transportSchema = z
  .object({
    clientId: name.default('dialler-bridge'),
    clientName: name.default('Dialler Bridge'),
    protocolName: name.default('dcp'),
    protocolVersion: name.default('1.0'),
  })
  .strict()
  .prefault({});

/** `messageType` values. */
const messageTypesSchema = z
  .object({
    handshake: name.default('handshake'),
    handshakeResponse: name.default('handshakeResponse'),
    negotiate: name.default('negotiate'),
    negotiateResponse: name.default('negotiateResponse'),
    coreRequest: name.default('coreRequest'),
    serviceRequest: name.default('serviceRequest'),
    resourceRequest: name.default('resourceRequest'),
    objectEvent: name.default('objectEvent'),
  })
  .strict()
  .prefault({});

/** Envelope field names of DCP messages. */
const fieldsSchema = z
  .object({
    messageType: name.default('messageType'),
    requestId: name.default('requestId'),
    command: name.default('command'),
    serviceId: name.default('serviceId'),
    resourceId: name.default('resourceId'),
    target: name.default('target'),
    data: name.default('data'),
    result: name.default('result'),
    /** An event's name. */
    name: name.default('name'),
  })
  .strict()
  .prefault({});

const commandsSchema = z
  .object({
    getServices: name.default('getServices'),
    bindService: name.default('bindService'),
    prepareSession: name.default('prepareSession'),
    bindResource: name.default('bindResource'),
    addChannel: name.default('session.request.addchannel'),
    dial: name.default('channel.dial'),
    release: name.default('conversation.release'),
    logout: name.default('session.request.logout'),
  })
  .strict()
  .prefault({});

const eventsSchema = z
  .object({
    sessionInitialized: name.default('session.initialized'),
    channelInitialized: name.default('channel.initialized'),
    interactionCreated: name.default('interaction.created'),
    interactionEnded: name.default('interaction.ended'),
    conversationCreated: name.default('conversation.created'),
    conversationDisposed: name.default('conversation.disposed'),
    stateUpdated: name.default('state.updated'),
  })
  .strict()
  .prefault({});

/** Event → call state rules. Paths are dot paths into the event (e.g. "data.state"). */
const callsSchema = z
  .object({
    statePath: name.default('data.state'),
    ringingStates: names.default(['ALERTING', 'DIALING']),
    connectedStates: names.default(['STARTED']),
    /** States that mean the far end was busy (the call then ends as busy). */
    busyStates: names.default(['BUSY']),
    directionPath: name.default('data.interaction.direction'),
    inboundDirection: name.default('inbound'),
    /** Tried in order for an inbound caller's number. */
    callerNumberPaths: names.default(['data.interaction.ani']),
    /** An outbound interaction created this long after our channel.dial is that dial. */
    ownDialWindowMs: z.number().int().min(100).max(60_000).default(5_000),
    channelType: name.default('Telephony'),
    serviceType: name.default('InteractionProcessor'),
  })
  .strict()
  .prefault({});

const timeoutsSchema = z
  .object({
    requestMs: z.number().int().min(50).max(120_000).default(10_000),
    prepareSessionMs: z.number().int().min(50).max(300_000).default(30_000),
    logoutMs: z.number().int().min(50).max(2_000).default(2_000),
  })
  .strict()
  .prefault({});

export const harmonyProtocolSchema = z
  .object({
    framing: framingSchema,
    transport: transportSchema,
    messageTypes: messageTypesSchema,
    fields: fieldsSchema,
    commands: commandsSchema,
    events: eventsSchema,
    calls: callsSchema,
    timeouts: timeoutsSchema,
  })
  .strict();

/** Every setting of the wire profile, defaults filled. */
export type HarmonyProtocol = z.output<typeof harmonyProtocolSchema>;
/** What a site may write under `protocol`: any subset. */
export type HarmonyProtocolOverrides = z.input<typeof harmonyProtocolSchema>;

/** The contract's default wire profile. */
export function harmonyProtocol(overrides: HarmonyProtocolOverrides = {}): HarmonyProtocol {
  return harmonyProtocolSchema.parse(overrides);
}

export const harmonyProfileSchema = z
  .object({
    ...profileBase,
    ...tlsClientKeys,
    type: z.literal('harmony'),
    /** Harmony Integration Server, Socket Transport. */
    url: harmonyUrl,
    /** The operator's CTI agent id (prepareSession agent.id). */
    agentId: nonEmpty,
    /** The agent's CTI password (prepareSession agent.password). */
    password: z.string().min(1, "expected the agent's CTI password"),
    /** The Telephony channel endpoint (session.request.addchannel). */
    extension: nonEmpty,
    /** Call model; "" = the processor's default. */
    model: z.string().default(''),
    /** true: take over an agent session that already exists (prepareSession override). */
    overrideExistingSession: z.boolean().default(false),
    protocol: harmonyProtocolSchema.prefault({}),
  })
  .strict();

export type HarmonyProfile = z.output<typeof harmonyProfileSchema>;
