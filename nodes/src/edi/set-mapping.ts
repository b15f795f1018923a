import type { Out, ReadContext } from './elements';
import type { Segment } from './types';

/**
 * How one transaction set maps to and from a canonical value. `read` gets the segments between
 * ST and SE and records problems in the context; `write` gets a value already checked against
 * its canonical schema and returns the segments between ST and SE.
 */
export interface SetMapping<T> {
  /** ST01, e.g. `850`. */
  set: string;
  /** GS01 for this set, e.g. `PO`. */
  functionalId: string;
  title: string;
  read(ctx: ReadContext, body: Segment[]): T | undefined;
  write(value: T): Out[];
}

export function defineSet<T>(mapping: SetMapping<T>): SetMapping<T> {
  return mapping;
}
