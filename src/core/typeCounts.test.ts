import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../testing/fixtures.ts';
import { DecodedLog } from './decode.ts';
import type { TlvIndex } from './tlv.ts';
import { countTypes, mostFrequentTypes, tallyTypes, typeColumns } from './typeCounts.ts';

/** The reference: sort every type by count (most first, then lower type), keep `limit`, order by type. */
function bySorting(types: number[], counts: number[], limit: number, include: (t: number) => boolean) {
  return types
    .map((type, k) => ({ type, count: counts[k] }))
    .filter((c) => include(c.type))
    .sort((a, b) => b.count - a.count || a.type - b.type)
    .slice(0, limit)
    .sort((a, b) => a.type - b.type);
}

describe('type counts', () => {
  it('counts the types of a real TLV log with unknown types, as columns and as a list', () => {
    const log = new DecodedLog(fixtureBytes('tlv/oob-unknown-types.bin'));
    const index = log.index as TlvIndex;
    const columns = typeColumns(tallyTypes(index));
    expect(Array.from(columns.types)).toEqual([1, 2, 2127, 19744]);
    expect(Array.from(columns.counts)).toEqual([32, 1, 1, 1]);
    expect(countTypes(index)).toEqual([
      { type: 1, count: 32 },
      { type: 2, count: 1 },
      { type: 2127, count: 1 },
      { type: 19744, count: 1 },
    ]);
    // Counted in two goes (a streamed open's ticks), the tally is the same.
    const partial = tallyTypes({ ...index, count: 10 });
    expect(tallyTypes(index, partial, 10)).toEqual(tallyTypes(index));
  });

  it('picks the most frequent types as a full sort would, for any counts, limit and filter', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 300, maxLength: 300 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (unsorted, countPool, limit, modulus) => {
          const types = [...unsorted].sort((a, b) => a - b);
          const counts = types.map((_, k) => countPool[k]);
          const include = (t: number) => t % modulus !== 1;
          const columns = { types: Uint16Array.from(types), counts: Float64Array.from(counts) };
          expect(mostFrequentTypes(columns, limit, include)).toEqual(
            bySorting(types, counts, limit, include),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
