// ws_cti messages: the decoded ETF term of one frame → a typed message, and back (for the simulator).
// Shapes per Brastel's basix_ws_cti.js message parser: {field_spec, Entity, [Field…]},
// {initial_info, Entity, [Rec…] | {bert,nil}}, {info_event, Entity, Rec, Event}, {system_msg, Msg}, {msg, Payload}.
import { decodeTerm } from './etf-decode';
import { encodeTerm } from './etf-encode';
import { Atom, Binary, ErlString, Tuple, atom, str, type Term } from './etf-terms';

export type CtiMessage =
  | { type: 'field_spec'; entity: string; fields: string[] }
  | { type: 'initial_info'; entity: string; records: Tuple[] }
  | { type: 'info_event'; entity: string; record: Tuple; event: string }
  | { type: 'system_msg'; message: string }
  | { type: 'msg'; payload: Term }
  /** A well-formed term of a message type we do not know: logged at debug, never fatal. */
  | { type: 'unknown'; name: string };

/** A frame that decodes but is not a ws_cti message of the documented shape. */
export class CtiMessageError extends Error {
  override name = 'CtiMessageError';
}

/** Decodes one binary frame. Throws EtfDecodeError (bad bytes) or CtiMessageError (bad shape). */
export function parseCtiFrame(frame: Uint8Array): CtiMessage {
  return toCtiMessage(decodeTerm(frame));
}

export function toCtiMessage(term: Term): CtiMessage {
  if (!(term instanceof Tuple) || term.items.length === 0) {
    throw new CtiMessageError('expected a tuple with the message type first');
  }
  const [head, ...rest] = term.items;
  const name = textOf(head);
  if (name === undefined) throw new CtiMessageError('the message type is not an atom or string');
  switch (name) {
    case 'field_spec': {
      const [entity, fields] = expectArity(name, rest, 2);
      return { type: name, entity: entityOf(entity), fields: fieldNames(fields) };
    }
    case 'initial_info': {
      const [entity, records] = expectArity(name, rest, 2);
      return { type: name, entity: entityOf(entity), records: recordList(records) };
    }
    case 'info_event': {
      const [entity, record, event] = expectArity(name, rest, 3);
      if (!(record instanceof Tuple)) throw new CtiMessageError('info_event without a record tuple');
      const eventName = textOf(event);
      if (eventName === undefined) throw new CtiMessageError('info_event without an event name');
      return { type: name, entity: entityOf(entity), record, event: eventName };
    }
    case 'system_msg': {
      const [message] = expectArity(name, rest, 1);
      return { type: name, message: textOf(message) ?? String(message) };
    }
    case 'msg':
      return { type: name, payload: rest[0] ?? [] };
    default:
      return { type: 'unknown', name };
  }
}

/** An atom's name, a char list or a binary's text; undefined for anything else. */
export function textOf(term: Term | undefined): string | undefined {
  if (term instanceof Atom) return term.name;
  if (term instanceof ErlString) return term.value;
  if (term instanceof Binary) return term.text();
  if (Array.isArray(term) && term.length === 0) return '';
  return undefined;
}

/** BERT's `{bert, nil}`: the empty list. */
export function isBertNil(term: Term): boolean {
  return (
    term instanceof Tuple &&
    term.items.length === 2 &&
    textOf(term.items[0]) === 'bert' &&
    textOf(term.items[1]) === 'nil'
  );
}

function expectArity(name: string, rest: Term[], arity: number): Term[] {
  if (rest.length < arity) throw new CtiMessageError(`${name} with ${rest.length} of ${arity} elements`);
  return rest;
}

function entityOf(term: Term | undefined): string {
  const entity = textOf(term);
  if (!entity) throw new CtiMessageError('a message without an entity name');
  return entity;
}

function fieldNames(term: Term | undefined): string[] {
  if (!Array.isArray(term)) throw new CtiMessageError('field_spec without a list of field names');
  return term.map((field: Term) => {
    const fieldName = textOf(field);
    if (!fieldName) throw new CtiMessageError('field_spec with a field name that is not an atom');
    return fieldName;
  });
}

function recordList(term: Term | undefined): Tuple[] {
  if (term === undefined || isBertNil(term)) return [];
  if (!Array.isArray(term)) throw new CtiMessageError('initial_info without a list of records');
  return term.map((record: Term) => {
    if (!(record instanceof Tuple))
      throw new CtiMessageError('initial_info with a record that is not a tuple');
    return record;
  });
}

// Encoders, with the tags of the live server (entity and event names as char lists, §2.1 of our notes).

export function fieldSpecFrame(entity: string, fields: readonly string[]): Buffer {
  return encodeTerm(new Tuple([atom('field_spec'), str(entity), fields.map(atom)]));
}

export function initialInfoFrame(entity: string, records: readonly Tuple[]): Buffer {
  const list: Term = records.length === 0 ? new Tuple([atom('bert'), atom('nil')]) : records;
  return encodeTerm(new Tuple([atom('initial_info'), str(entity), list]));
}

export function infoEventFrame(
  entity: string,
  record: Tuple,
  event: 'added' | 'updated' | 'removed',
): Buffer {
  return encodeTerm(new Tuple([atom('info_event'), str(entity), record, str(event)]));
}

export function systemMsgFrame(message: string): Buffer {
  return encodeTerm(new Tuple([atom('system_msg'), atom(message)]));
}
