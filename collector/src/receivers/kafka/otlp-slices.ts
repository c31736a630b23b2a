import { sql, encodeTsvRow, tsvString, type Store } from '@plexus/store';

/** Offsets First..Last of one partition, written as one insert under one token. */
export interface Slice {
  first: string;
  last: string;
}

/**
 * The ledger of the slice each partition is writing (kafka_otlp_slices):
 * recorded before the slice's spans are inserted, so a consumer resuming at
 * a slice's first offset after a crash re-reads exactly that slice and its
 * insert carries the same token, which ClickHouse then drops.
 */
export class SliceLedger {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The slice last begun on a partition, if any. */
  async last(topic: string, partition: number): Promise<Slice | undefined> {
    const rows = await this.#store.query<{ first: string; last: string }>(sql`
      SELECT toString(FirstOffset) AS first, toString(LastOffset) AS last
      FROM kafka_otlp_slices FINAL WHERE Topic = ${topic} AND Partition = ${partition}`);
    return rows[0];
  }

  /** Records that a slice is about to be written. */
  async begin(topic: string, partition: number, slice: Slice): Promise<void> {
    await this.#store.insertTsv('kafka_otlp_slices', ['Topic', 'Partition', 'FirstOffset', 'LastOffset'], Buffer.from(encodeTsvRow([tsvString(topic), String(partition), slice.first, slice.last])));
  }
}

/** The insert token of a slice: the same rows always get the same one. */
export function sliceToken(topic: string, partition: number, slice: Slice): string {
  return `kafka-otlp/${topic}/${partition}/${slice.first}-${slice.last}`;
}

/**
 * How many of `offsets` (ascending, starting at a resume point) form the next
 * slice: at most `limit`, but exactly the recorded slice when resuming at its
 * start, so a replay reproduces the insert it may already have made.
 */
export function sliceLength(offsets: readonly string[], limit: number, resumed: Slice | undefined): number {
  if (resumed && offsets[0] === resumed.first) {
    const last = BigInt(resumed.last);
    let n = 0;
    while (n < offsets.length && BigInt(offsets[n]!) <= last) n++;
    return n;
  }
  return Math.min(limit, offsets.length);
}
