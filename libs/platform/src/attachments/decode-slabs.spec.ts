import { DecodeSlabs } from './decode-slabs';

describe('DecodeSlabs', () => {
  afterEach(() => jest.useRealTimers());

  it('lends at most `max` slabs and lends a given-back slab again', () => {
    const slabs = new DecodeSlabs(16, 2);
    const [first, second] = [slabs.take(), slabs.take()];
    expect(first).toHaveLength(16);
    expect(second).not.toBe(first);
    expect(slabs.take()).toBeNull();
    slabs.give(first!);
    expect(slabs.take()).toBe(first);
    expect(slabs.size).toBe(2);
  });

  it('never lends an abandoned slab again: a new one takes its place', () => {
    const slabs = new DecodeSlabs(16, 1);
    const abandoned = slabs.take()!;
    expect(slabs.take()).toBeNull();
    slabs.abandon();
    const next = slabs.take();
    expect(next).not.toBeNull();
    expect(next).not.toBe(abandoned);
  });

  it('drops its slabs once none has been lent for the idle time', () => {
    jest.useFakeTimers();
    const slabs = new DecodeSlabs(16, 2, 1_000);
    const slab = slabs.take()!;
    slabs.give(slab);
    jest.advanceTimersByTime(999);
    expect(slabs.size).toBe(1);
    jest.advanceTimersByTime(1);
    expect(slabs.size).toBe(0);
    expect(slabs.take()).not.toBe(slab);
  });

  it('keeps its slabs while one is lent, however long', () => {
    jest.useFakeTimers();
    const slabs = new DecodeSlabs(16, 2, 1_000);
    const [lent, returned] = [slabs.take()!, slabs.take()!];
    slabs.give(returned);
    jest.advanceTimersByTime(5_000);
    expect(slabs.size).toBe(2);
    slabs.give(lent);
    expect(slabs.take()).toBe(lent);
  });
});
