import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectAfterLargeBody, collectYoungGarbage } from './collect-garbage';

describe('collecting after large bodies', () => {
  it('frees dead buffers at once, not at V8\'s next collection', async () => {
    const external = () => process.memoryUsage().arrayBuffers;
    let garbage: Buffer[] | null = Array.from({ length: 8 }, () => Buffer.alloc(4 * 1024 * 1024, 1));
    const held = external();
    garbage = null;
    collectYoungGarbage();
    collectAfterLargeBody(16 * 1024 * 1024);
    await nextTurn();
    expect(garbage).toBeNull();
    expect(external()).toBeLessThan(held - 24 * 1024 * 1024);
  });
});
