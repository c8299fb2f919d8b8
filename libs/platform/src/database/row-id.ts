import { randomFillSync } from 'node:crypto';

/** Random bytes for this many ids are drawn at once (one call into OpenSSL instead of one per id). */
const IDS_PER_DRAW = 256;
const RANDOM_BYTES_PER_ID = 10;
const pool = Buffer.alloc(IDS_PER_DRAW * RANDOM_BYTES_PER_ID);
let drawn = IDS_PER_DRAW;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A new id for a row we create (a dispute, an event, a ledger transaction…): a UUID version 7 (RFC 9562),
 * the Unix time in milliseconds in its first 48 bits, then 74 random bits. Still a UUID wherever one is
 * shown, and as hard to guess as a version 4 one for anyone who does not know the millisecond (every route
 * checks its caller's right to the row anyway). Why not version 4: ids made one after another sort one after
 * another, so each index keyed by them (primary keys, every inbox's event ids, foreign keys) takes its new
 * entries on its last pages, which stay in Postgres's buffers, instead of on a random page of the whole
 * index: a table's history stops costing its inserts reads, evictions and full-page images in the WAL.
 */
export function newRowId(now: number = Date.now()): string {
  if (drawn === IDS_PER_DRAW) {
    randomFillSync(pool);
    drawn = 0;
  }
  const at = drawn++ * RANDOM_BYTES_PER_ID;
  const random = (index: number) => HEX[pool[at + index]];
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random(0).slice(1)}${random(1)}-${HEX[0x80 | (pool[at + 2] & 0x3f)]}${random(3)}-`
    + `${random(4)}${random(5)}${random(6)}${random(7)}${random(8)}${random(9)}`;
}
