import { publishAroundRejected, RelaySink } from './outbox-rejections';
import { RecordRejected } from './record-rejection';

interface Row {
  id: number;
  key: string;
}

/** A sink whose Kafka refuses the rows in `poison` (and any request holding one), and fails with `down` once `failAfter` sends. */
function sinkRefusing(poison: number[], failAfter = Infinity) {
  const log: string[] = [];
  let sends = 0;
  const sink: RelaySink<Row> = {
    send: async (rows) => {
      if (++sends > failAfter) throw new Error('broker down');
      if (rows.some((row) => poison.includes(row.id))) throw new RecordRejected('MESSAGE_TOO_LARGE', 'too large');
    },
    published: (rows) => void log.push(`published ${rows.map((row) => row.id).join(',')}`),
    park: async (row, rejection) => void log.push(`parked ${row.id} ${rejection.code}`),
  };
  return { sink, log };
}

const rows: Row[] = [
  { id: 1, key: 'A' }, { id: 2, key: 'B' }, { id: 3, key: 'C' }, { id: 4, key: 'B' }, { id: 5, key: 'A' }, { id: 6, key: 'B' }, { id: 7, key: 'D' },
];

describe('publishAroundRejected', () => {
  it('publishes the keys without a refused row whole, and a refused key row by row around the parked row', async () => {
    const { sink, log } = sinkRefusing([4]);
    await publishAroundRejected(rows, sink);
    expect(log).toEqual(['published 1,5', 'published 2', 'parked 4 MESSAGE_TOO_LARGE', 'published 6', 'published 3', 'published 7']);
  });

  it('parks a key of one refused row without sending it again', async () => {
    const { sink, log } = sinkRefusing([7]);
    await publishAroundRejected(rows, sink);
    expect(log).toEqual(['published 1,5', 'published 2,4,6', 'published 3', 'parked 7 MESSAGE_TOO_LARGE']);
  });

  it('publishes row by row a key whose rows are refused only together, parking nothing', async () => {
    const log: string[] = [];
    const sink: RelaySink<Row> = {
      send: async (batch) => {
        if (batch.length > 1 && batch[0].key === 'B') throw new RecordRejected('MESSAGE_TOO_LARGE', 'batch too large');
      },
      published: (batch) => void log.push(`published ${batch.map((row) => row.id).join(',')}`),
      park: async (row) => void log.push(`parked ${row.id}`),
    };
    await publishAroundRejected(rows, sink);
    expect(log).toEqual(['published 1,5', 'published 2', 'published 4', 'published 6', 'published 3', 'published 7']);
  });

  it('stops at any other error, leaving the rest of the key (and the keys after it) for the next attempt', async () => {
    // Sends: A, B (refused), 2, 4 (refused and parked), then 6 fails.
    const { sink, log } = sinkRefusing([4], 4);
    await expect(publishAroundRejected(rows, sink)).rejects.toThrow('broker down');
    expect(log).toEqual(['published 1,5', 'published 2', 'parked 4 MESSAGE_TOO_LARGE']);
  });
});
