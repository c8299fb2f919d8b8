import { BacklogClock } from './pipeline-lag';
import type { PartitionOffsets } from './broker-offsets';

const part = (partition: number, committed: number | null, high: number, topic = 't1', low = 0): PartitionOffsets => ({ topic, partition, committed, low, high });

describe('BacklogClock', () => {
  it('reads 0 while the group keeps up, however slowly events come', () => {
    const clock = new BacklogClock();
    // One event every other poll, consumed before the next poll.
    expect(clock.observe('g', [part(0, 0, 0)], 0)).toEqual({ delayMs: 0, events: 0 });
    expect(clock.observe('g', [part(0, 0, 1)], 500)).toEqual({ delayMs: 0, events: 1 });
    expect(clock.observe('g', [part(0, 1, 1)], 1_000)).toEqual({ delayMs: 0, events: 0 });
    expect(clock.observe('g', [part(0, 1, 2)], 1_500)).toEqual({ delayMs: 0, events: 1 });
    expect(clock.observe('g', [part(0, 2, 2)], 60_000)).toEqual({ delayMs: 0, events: 0 });
  });

  it('reads the age of the oldest unconsumed event: the time since the first poll that saw it written', () => {
    const clock = new BacklogClock();
    clock.observe('g', [part(0, 10, 10)], 0);
    clock.observe('g', [part(0, 10, 15)], 500); // offsets 10–14 written by 500
    clock.observe('g', [part(0, 12, 20)], 1_000); // 15–19 by 1000; 12 is still from the first batch
    expect(clock.observe('g', [part(0, 12, 20)], 1_500).delayMs).toBe(1_000);
    // The group passes offset 15: the oldest unconsumed was written by 1000.
    expect(clock.observe('g', [part(0, 16, 25)], 2_000)).toEqual({ delayMs: 1_000, events: 9 });
    // Caught up: back to 0.
    expect(clock.observe('g', [part(0, 25, 25)], 2_500)).toEqual({ delayMs: 0, events: 0 });
  });

  it('grows while the group is stopped, takes the slowest partition, and keeps groups apart', () => {
    const clock = new BacklogClock();
    clock.observe('stopped', [part(0, 0, 0), part(1, 0, 0)], 0);
    clock.observe('moving', [part(0, 0, 0)], 0);
    for (let at = 500; at <= 3_000; at += 500) {
      clock.observe('stopped', [part(0, 0, at / 100), part(1, 0, 1)], at);
      clock.observe('moving', [part(0, at / 100, at / 100)], at);
    }
    expect(clock.observe('stopped', [part(0, 0, 31), part(1, 0, 1)], 3_500)).toEqual({ delayMs: 3_000, events: 32 });
    expect(clock.observe('moving', [part(0, 35, 35)], 3_500).delayMs).toBe(0);
  });

  it('ignores topics the group has never committed on (it does not consume them), counting uncommitted partitions of its topics from their start', () => {
    const clock = new BacklogClock();
    const offsets = [part(0, 5, 5, 'mine'), part(1, null, 3, 'mine', 1), part(0, null, 1_000, 'not-mine')];
    expect(clock.observe('g', offsets, 0)).toEqual({ delayMs: 0, events: 2 });
    expect(clock.observe('g', offsets, 2_000)).toEqual({ delayMs: 2_000, events: 2 });
  });
});
