// The fields of a Basix `channel` record that call state needs, read by the positions its field_spec gave.
// Which channels are the operator's, and what a channel's fields mean, follow Brastel's basix_ws_cti.js
// README; the rules marked (inferred) are ours and listed in this folder's README.
import { Tuple } from './etf-terms';
import { RecordShape } from './record-shape';
import { hasValue, idValue, isId, nameAt, textValue, type UserId } from './values';

export interface ChannelFacts {
  uuid: string;
  /** The PBX's view: 'inbound' = offered to the PBX, 'outbound' = offered by the PBX. */
  direction: string | undefined;
  userId: UserId | undefined;
  stateName: string | undefined;
  /** Answered (answer_timestamp, CHANNEL_ANSWER) or bridged. */
  answered: boolean;
  bridged: boolean;
  /** CHANNEL_HANGUP or a hangup_timestamp. */
  hungUp: boolean;
  /** Created by an API call (click-to-call): `origination` set. */
  originated: boolean;
  otherUuid: string | undefined;
  /** e.g. "recv_refuse,USER_BUSY". */
  lastEventData: string | undefined;
  callingNumber: string | undefined;
  calledNumber: string | undefined;
  /** other_info's address: the peer's number (PSTN number or terminal name). */
  peerAddress: string | undefined;
}

/** state = {Ts, Name, …}; a call to a user: {Ts, calling, int|ext, user, {UserId}}. */
const STATE_NAME = 1;
const STATE_TARGET_TYPE = 3;
const STATE_TARGET_DATA = 4;
/** target = {Type, Id, Name, Address}. */
const TARGET_TYPE = 0;
const TARGET_ID = 1;
/** other_info = {Type, UserIdOrEndUser, Direction, PeerLocation, Address, OfferTs, GroupId, Whoscall}. */
const OTHER_ADDRESS = 4;

export class ChannelReader {
  private readonly uuidAt: number;
  private readonly userIdAt: number;
  private readonly stateAt: number;
  private readonly targetAt: number;
  private readonly at: Record<
    | 'direction'
    | 'answer'
    | 'hangup'
    | 'otherUuid'
    | 'origination'
    | 'lastEvent'
    | 'lastEventData'
    | 'calling'
    | 'called'
    | 'otherInfo',
    number
  >;

  constructor(shape: RecordShape) {
    this.uuidAt = shape.indexOf('uuid');
    this.userIdAt = shape.indexOf('user_id');
    this.stateAt = shape.indexOf('state');
    this.targetAt = shape.indexOf('target');
    this.at = {
      direction: shape.indexOf('direction'),
      answer: shape.indexOf('answer_timestamp'),
      hangup: shape.indexOf('hangup_timestamp'),
      otherUuid: shape.indexOf('other_uuid'),
      origination: shape.indexOf('origination'),
      lastEvent: shape.indexOf('last_event'),
      lastEventData: shape.indexOf('last_event_data'),
      calling: shape.indexOf('calling_number'),
      called: shape.indexOf('called_number'),
      otherInfo: shape.indexOf('other_info'),
    };
  }

  /** The field_spec has what call state needs. */
  get usable(): boolean {
    return this.uuidAt >= 0 && this.userIdAt >= 0;
  }

  uuid(record: Tuple): string | undefined {
    return textValue(RecordShape.at(record, this.uuidAt));
  }

  otherUuid(record: Tuple): string | undefined {
    return textValue(RecordShape.at(record, this.at.otherUuid));
  }

  /**
   * Whether the channel is the operator's: their own leg (user_id), or a call still ringing them before
   * their leg exists (state calling user U, or target user U while calling). Cheap: a few array reads.
   */
  concerns(record: Tuple, user: UserId): boolean {
    if (isId(RecordShape.at(record, this.userIdAt), user)) return true;
    const state = RecordShape.at(record, this.stateAt);
    if (!(state instanceof Tuple) || nameAt(state, STATE_NAME) !== 'calling') return false;
    if (nameAt(state, STATE_TARGET_TYPE) === 'user') {
      const data = state.items[STATE_TARGET_DATA];
      if (data instanceof Tuple && isId(data.items[0], user)) return true;
    }
    const target = RecordShape.at(record, this.targetAt);
    return (
      target instanceof Tuple && nameAt(target, TARGET_TYPE) === 'user' && isId(target.items[TARGET_ID], user)
    );
  }

  facts(record: Tuple): ChannelFacts {
    const get = (index: number) => RecordShape.at(record, index);
    const stateName = nameAt(get(this.stateAt), STATE_NAME);
    const lastEvent = textValue(get(this.at.lastEvent));
    const bridged = stateName === 'bridged' || lastEvent === 'CHANNEL_BRIDGE';
    const otherInfo = get(this.at.otherInfo);
    return {
      uuid: this.uuid(record) ?? '',
      direction: textValue(get(this.at.direction)),
      userId: idValue(get(this.userIdAt)),
      stateName,
      answered: hasValue(get(this.at.answer)) || lastEvent === 'CHANNEL_ANSWER' || bridged,
      bridged,
      hungUp: lastEvent === 'CHANNEL_HANGUP' || hasValue(get(this.at.hangup)),
      originated: hasValue(get(this.at.origination)),
      otherUuid: textValue(get(this.at.otherUuid)),
      lastEventData: textValue(get(this.at.lastEventData)),
      callingNumber: textValue(get(this.at.calling)),
      calledNumber: textValue(get(this.at.called)),
      peerAddress: otherInfo instanceof Tuple ? textValue(otherInfo.items[OTHER_ADDRESS]) : undefined,
    };
  }
}
