// What one ws_cti connection knows: each entity's field_spec, the operator's user id (from the `user`
// records), and the operator's channels, fed to the call tracker. Other users' channels cost a few array
// reads each (ChannelReader.concerns) and are dropped.
import type { Logger } from '../../log/logger';
import { ChannelReader } from './channel-record';
import type { BasixCallTracker, ChannelChange } from './call-tracker';
import type { CtiMessage } from './cti-messages';
import type { Tuple } from './etf-terms';
import { RecordShape } from './record-shape';
import { idValue, textValue, type UserId } from './values';

export type SessionStatus = { ready: true; detail: string } | { ready: false; reason: string };

export interface CtiSessionOptions {
  userName: string;
  tracker: BasixCallTracker;
  log: Logger;
  onStatus(status: SessionStatus): void;
  /** A system_msg (connection_limit_reached, connection_replaced, …). */
  onSystemMessage(message: string): void;
}

/** Channel records kept while the operator's id is not known yet (initial_info order is not documented). */
const MAX_HELD_CHANNELS = 20_000;

export class CtiSession {
  private readonly shapes = new Map<string, RecordShape>();
  private channels: ChannelReader | null = null;
  private readonly userIds = new Map<string, UserId>();
  private userId: UserId | undefined;
  private usersKnown = false;
  private channelsKnown = false;
  /** Before the operator's id is known: every channel by uuid (replaced, added, removed). */
  private held: Map<string, Tuple> | null = new Map();
  private reported = '';

  constructor(private readonly options: CtiSessionOptions) {}

  get operatorId(): UserId | undefined {
    return this.userId;
  }

  receive(message: CtiMessage): void {
    switch (message.type) {
      case 'field_spec':
        this.shapes.set(message.entity, new RecordShape(message.fields));
        if (message.entity === 'channel') this.channels = new ChannelReader(this.shapes.get('channel')!);
        return;
      case 'initial_info':
        if (message.entity === 'user') this.usersReplaced(message.records);
        else if (message.entity === 'channel') this.channelsReplaced(message.records);
        return;
      case 'info_event':
        if (message.entity === 'channel') this.channelEvent(message.record, message.event);
        else if (message.entity === 'user') this.userEvent(message.record, message.event);
        return;
      case 'system_msg':
        this.options.onSystemMessage(message.message);
        return;
      default:
        this.options.log.debug('basix message not used', { type: message.type });
    }
  }

  private usersReplaced(records: readonly Tuple[]): void {
    const shape = this.shapeOf('user');
    if (!shape) return;
    this.userIds.clear();
    for (const record of records) this.noteUser(shape, record, 'added');
    this.usersKnown = true;
    this.resolveOperator();
  }

  private userEvent(record: Tuple, event: string): void {
    const shape = this.shapeOf('user');
    if (!shape) return;
    this.noteUser(shape, record, event);
    if (this.usersKnown) this.resolveOperator();
  }

  private noteUser(shape: RecordShape, record: Tuple, event: string): void {
    const name = textValue(RecordShape.at(record, shape.indexOf('name')));
    const id = idValue(RecordShape.at(record, shape.indexOf('id')));
    if (name === undefined || id === undefined) return;
    if (event === 'removed') this.userIds.delete(name);
    else this.userIds.set(name, id);
  }

  /** The operator's id from the user list; (re)applies held channels when it becomes known. */
  private resolveOperator(): void {
    const id = this.userIds.get(this.options.userName);
    if (id === this.userId) {
      if (id === undefined) this.report();
      return;
    }
    if (this.userId !== undefined) {
      this.options.tracker.endAll(
        'failed',
        `The Basix user "${this.options.userName}" changed or was removed`,
      );
    }
    this.userId = id;
    if (id !== undefined && this.held) {
      const held = [...this.held.values()];
      this.held = null;
      if (this.channelsKnown) this.options.tracker.replaceAll(this.changesOf(held));
    }
    if (id === undefined) this.held = new Map();
    this.report();
  }

  private channelsReplaced(records: readonly Tuple[]): void {
    const reader = this.readerOrWarn();
    if (!reader) return;
    this.channelsKnown = true;
    if (this.userId === undefined) {
      this.held = new Map();
      for (const record of records) this.hold(reader, record, 'added');
      this.report();
      return;
    }
    this.options.tracker.replaceAll(this.changesOf(records));
    this.report();
  }

  private channelEvent(record: Tuple, event: string): void {
    const reader = this.readerOrWarn();
    if (!reader) return;
    const user = this.userId;
    if (user === undefined) {
      this.hold(reader, record, event);
      return;
    }
    const tracker = this.options.tracker;
    const concerns = reader.concerns(record, user);
    // Other users' channels stop here, after a few array reads; a channel that is not the operator's
    // but is (or is linked to) one being followed goes on, to end or explain a call.
    if (
      !concerns &&
      !(tracker.following && tracker.isRelated(reader.uuid(record), reader.otherUuid(record)))
    ) {
      return;
    }
    tracker.onChange(this.changeOf(reader, record, event === 'removed', concerns));
  }

  private hold(reader: ChannelReader, record: Tuple, event: string): void {
    const uuid = reader.uuid(record);
    if (!uuid || !this.held) return;
    if (event === 'removed') this.held.delete(uuid);
    else if (this.held.size < MAX_HELD_CHANNELS || this.held.has(uuid)) this.held.set(uuid, record);
  }

  private changesOf(records: readonly Tuple[]): ChannelChange[] {
    const reader = this.channels;
    const user = this.userId;
    if (!reader || user === undefined) return [];
    return records
      .filter((record) => reader.concerns(record, user))
      .map((record) => this.changeOf(reader, record, false, true));
  }

  private changeOf(reader: ChannelReader, record: Tuple, removed: boolean, concerns: boolean): ChannelChange {
    const facts = reader.facts(record);
    const own = facts.userId !== undefined && facts.userId === this.userId;
    return { facts, relation: own ? 'own' : concerns ? 'ringing' : 'linked', removed };
  }

  private report(): void {
    if (!this.usersKnown || !this.channelsKnown) return;
    const key = String(this.userId);
    if (key === this.reported) return;
    this.reported = key;
    if (this.userId === undefined) {
      this.options.onStatus({
        ready: false,
        reason:
          `Basix has no user named "${this.options.userName}" in this domain. ` +
          'Check "userName" in the profile (the Basix user name, not the extension).',
      });
      return;
    }
    this.options.onStatus({
      ready: true,
      detail: `following Basix user "${this.options.userName}" (id ${this.userId})`,
    });
  }

  private shapeOf(entity: string): RecordShape | undefined {
    const shape = this.shapes.get(entity);
    if (!shape) this.options.log.warn(`Basix sent ${entity} records before their field_spec; ignored`);
    return shape;
  }

  private readerOrWarn(): ChannelReader | null {
    const reader = this.channels;
    if (!reader) {
      this.options.log.warn('Basix sent channel records before their field_spec; ignored');
      return null;
    }
    if (!reader.usable) {
      this.options.log.warn(
        'The Basix channel field_spec has no uuid or user_id field; calls cannot be followed',
      );
      return null;
    }
    return reader;
  }
}
