// Basix records are positional tuples: field_spec names the fields of each entity, in order. A shape maps
// a field name to its position once, so reading a field of a record is an array index, not a search.
import type { Term, Tuple } from './etf-terms';

export class RecordShape {
  private readonly positions = new Map<string, number>();

  constructor(readonly fields: readonly string[]) {
    fields.forEach((field, index) => {
      if (!this.positions.has(field)) this.positions.set(field, index);
    });
  }

  /** Position of `field`, or -1 when this entity's field_spec has no such field. */
  indexOf(field: string): number {
    return this.positions.get(field) ?? -1;
  }

  /** The record's value at `index` (from indexOf); undefined when absent or the record is shorter. */
  static at(record: Tuple, index: number): Term | undefined {
    return index < 0 ? undefined : record.items[index];
  }
}
