/** Records per TLV type: the type filter's counts and the CLI summary's. */
import type { TlvIndex } from './tlv.ts';

export interface TypeCount {
  type: number;
  count: number;
}

/** Records per TLV type, in order of type value. One pass over the type column, no Map. */
export function countTypes(index: Pick<TlvIndex, 'types' | 'count' | 'droppedTypeCounts'>): TypeCount[] {
  const { types, count } = index;
  const counts = new Float64Array(0x10000);
  // A streamed summary drops the columns of records it has counted.
  for (const [type, dropped] of index.droppedTypeCounts ?? []) counts[type] += dropped;
  for (let i = 0; i < count; i++) counts[types[i]]++;
  const out: TypeCount[] = [];
  for (let type = 0; type < counts.length; type++)
    if (counts[type] > 0) out.push({ type, count: counts[type] });
  return out;
}
