// The simulator's Basix records: field orders as Brastel's README lists them (shuffled on request, to
// prove clients map fields by field_spec), and values encoded with the live server's tags.
import { Binary, Tuple, UNDEFINED, atom, bin, tuple, type Term } from './etf-terms';

export const CHANNEL_FIELDS = [
  'uuid',
  'direction',
  'peer_location',
  'calling_name',
  'calling_number',
  'called_number',
  'offer_timestamp',
  'answer_timestamp',
  'hangup_timestamp',
  'other_uuid',
  'user_id',
  'state',
  'group_id',
  'target',
  'origination',
  'end_user',
  'tags',
  'last_bridged_user_id',
  'last_event',
  'other_info',
  'last_event_data',
  'call_id',
] as const;

export const USER_FIELDS = [
  'id',
  'name',
  'fwd_always_status',
  'do_not_disturb_status',
  'language',
  'main_extension',
  'presence',
  'role',
  'park_group',
  'mwi_target',
  'flags',
  'followme',
  'email',
  'avatar',
  'label',
  'mwi',
] as const;

export const GROUP_MEMBER_FIELDS = ['id', 'group_id', 'user_id', 'priority', 'login_status', 'role'] as const;

export type ChannelField = (typeof CHANNEL_FIELDS)[number];

export interface SimUser {
  id: number;
  name: string;
  extension: string;
  label?: string;
}

/** A channel as the simulator holds it; absent keys go out as the atom `undefined`. */
export type SimChannel = { uuid: string } & Partial<Record<Exclude<ChannelField, 'uuid'>, Term | string>>;

/** A record tuple in `order` (a field_spec), each value encoded; text as binaries (UTF-8). */
export function recordOf(values: Record<string, Term | string | undefined>, order: readonly string[]): Tuple {
  return new Tuple(
    order.map((field) => {
      const value = values[field];
      if (value === undefined) return UNDEFINED;
      return typeof value === 'string' ? bin(value) : value;
    }),
  );
}

export function userRecord(user: SimUser, order: readonly string[]): Tuple {
  return recordOf(
    {
      id: user.id,
      name: user.name,
      fwd_always_status: 0,
      do_not_disturb_status: 0,
      language: 0,
      main_extension: user.extension,
      presence: 0,
      role: 0,
      park_group: 0,
      flags: 0,
      email: `${user.name}@example.test`,
      label: user.label ?? user.name,
      mwi: new Binary(new Uint8Array(0)),
    },
    order,
  );
}

/** µs since the epoch, as Basix stamps offer/answer/hangup and states. */
export function microsNow(): number {
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

/** state {Ts, calling, int|ext, user, {UserId}} */
export const callingUser = (userId: number, location: 'int' | 'ext' = 'int'): Tuple =>
  tuple(microsNow(), atom('calling'), atom(location), atom('user'), tuple(userId));

/** state {Ts, calling, ext, pstn, {Number}} */
export const callingPstn = (number: string): Tuple =>
  tuple(microsNow(), atom('calling'), atom('ext'), atom('pstn'), tuple(bin(number)));

export const bridgedState = (): Tuple => tuple(microsNow(), atom('bridged'));

/** target {user, Id, Name, Address} */
export const userTarget = (user: SimUser, address: string): Tuple =>
  tuple(atom('user'), user.id, bin(user.name), bin(address));

/** other_info {Type, UserIdOrEndUser, Direction, PeerLocation, Address, OfferTs, GroupId, Whoscall} */
export const endUserInfo = (direction: string, address: string): Tuple =>
  tuple(
    atom('end_user'),
    bin('****'),
    atom(direction),
    atom('external'),
    bin(address),
    microsNow(),
    UNDEFINED,
    UNDEFINED,
  );

export const userInfo = (user: SimUser, direction: string): Tuple =>
  tuple(
    atom('user'),
    user.id,
    atom(direction),
    atom('internal'),
    bin(user.extension),
    microsNow(),
    UNDEFINED,
    UNDEFINED,
  );

/** A field order with the positions shuffled (deterministically by `seed`), uuid kept somewhere inside. */
export function shuffledOrder<T extends string>(fields: readonly T[], seed: number): T[] {
  const order = [...fields];
  let state = seed || 1;
  for (let i = order.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
