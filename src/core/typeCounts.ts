/** Records per TLV type: the type filter's counts and the CLI summary's. */
import type { TlvIndex } from './tlv.ts';

export interface TypeCount {
  type: number;
  count: number;
}

/**
 * Records per type as two columns in order of type value. What the page gets:
 * a log may hold all 65,536 types, and two typed arrays cross to the page as
 * two buffer copies where an object per type is cloned one by one (11,000
 * types, 330 KB as JSON, cost the page 60-80 ms per progress tick).
 */
export interface TypeColumns {
  /** The types present, ascending. */
  types: Uint16Array;
  /** Records of each type in `types`. */
  counts: Float64Array;
}

/** Records per type value (65,536 slots), counted from `from` on into `into`. One pass over the type column, no Map. */
export function tallyTypes(
  index: Pick<TlvIndex, 'types' | 'count' | 'droppedTypeCounts'>,
  into: Float64Array<ArrayBufferLike> = new Float64Array(0x10000),
  from = 0,
): Float64Array<ArrayBufferLike> {
  const { types, count } = index;
  // A streamed summary drops the columns of records it has counted.
  if (from === 0) for (const [type, dropped] of index.droppedTypeCounts ?? []) into[type] += dropped;
  for (let i = from; i < count; i++) into[types[i]]++;
  return into;
}

/** The types with records, from a tally of all 65,536. */
export function typeColumns(tally: Float64Array<ArrayBufferLike>): TypeColumns {
  let present = 0;
  for (let type = 0; type < tally.length; type++) if (tally[type] > 0) present++;
  const types = new Uint16Array(present);
  const counts = new Float64Array(present);
  let k = 0;
  for (let type = 0; type < tally.length; type++)
    if (tally[type] > 0) {
      types[k] = type;
      counts[k++] = tally[type];
    }
  return { types, counts };
}

/** Records per TLV type, in order of type value. */
export function countTypes(index: Pick<TlvIndex, 'types' | 'count' | 'droppedTypeCounts'>): TypeCount[] {
  const { types, counts } = typeColumns(tallyTypes(index));
  return Array.from(types, (type, k) => ({ type, count: counts[k] }));
}

/**
 * The `limit` types with the most records (ties: the lower type), in order of
 * type value, of those `include` accepts. Linear in the types present: it keeps
 * only a `limit`-long list while it reads them.
 */
export function mostFrequentTypes(
  columns: TypeColumns,
  limit: number,
  include: (type: number) => boolean = () => true,
): TypeCount[] {
  const { types, counts } = columns;
  // Indices into the columns, best first: an object is made only for the `limit` kept (the page
  // runs this at every progress tick of a streamed open, over up to 65,536 types).
  const top: number[] = [];
  const before = (a: number, b: number) =>
    counts[a] > counts[b] || (counts[a] === counts[b] && types[a] < types[b]);
  for (let k = 0; k < types.length; k++) {
    if (top.length === limit && (limit === 0 || !before(k, top[limit - 1]))) continue;
    if (!include(types[k])) continue;
    let at = Math.min(top.length, limit - 1);
    if (top.length < limit) top.push(k);
    while (at > 0 && before(k, top[at - 1])) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = k;
  }
  return top.map((k) => ({ type: types[k], count: counts[k] })).sort((a, b) => a.type - b.type);
}
