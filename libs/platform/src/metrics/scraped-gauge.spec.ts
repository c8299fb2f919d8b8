import { randomUUID } from 'node:crypto';
import { registry } from './metrics';
import { cached, ScrapedGauge } from './scraped-gauge';

describe('cached', () => {
  it('reads once within the time to live, and again after it', async () => {
    let clock = 0;
    let reads = 0;
    const read = cached(async () => ++reads, 1_000, () => clock);
    expect(await read()).toBe(1);
    clock = 999;
    expect(await read()).toBe(1);
    clock = 1_000;
    expect(await read()).toBe(2);
  });

  it('does not keep a failed reading', async () => {
    let fail = true;
    const read = cached(async () => {
      if (fail) throw new Error('database away');
      return 'ok';
    }, 60_000, () => 0);
    await expect(read()).rejects.toThrow('database away');
    fail = false;
    expect(await read()).toBe('ok');
  });
});

describe('ScrapedGauge', () => {
  const name = `recourse_test_${randomUUID().replace(/-/g, '_')}`;
  const gauge = new ScrapedGauge({ name, help: 'test', labelNames: ['status'] });
  afterAll(() => registry.removeSingleMetric(name));

  async function series() {
    const { values } = await registry.getSingleMetric(name)!.get();
    return values.map(({ labels, value }) => ({ ...labels, value }));
  }

  it('reports each registered service under its name, and leaves out a service whose reading fails', async () => {
    const stopA = gauge.register('a', async () => [{ labels: { status: 'open' }, value: 3 }]);
    const stopB = gauge.register('b', async () => {
      throw new Error('broker away');
    });
    expect(await series()).toEqual([{ status: 'open', service: 'a', value: 3 }]);
    stopB();
    stopA();
    expect(await series()).toEqual([]);
  });

  it('leaves out a reading that does not answer in time, without holding up the scrape', async () => {
    const slowName = `${name}_slow`;
    const slow = new ScrapedGauge({ name: slowName, help: 'test', readTimeoutMs: 50 });
    const stops = [slow.register('stuck', () => new Promise(() => undefined)), slow.register('fine', async () => [{ value: 1 }])];
    try {
      const { values } = await registry.getSingleMetric(slowName)!.get();
      expect(values.map(({ labels, value }) => ({ ...labels, value }))).toEqual([{ service: 'fine', value: 1 }]);
    } finally {
      stops.forEach((stop) => stop());
      registry.removeSingleMetric(slowName);
    }
  });
});
