import { readConfig, BaseConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { KafkaBus } from './kafka-bus';

describe('KafkaBus consumers', () => {
  const service = { name: 'intake', groupId: 'intake', consumes: [] };

  // No broker is contacted: the clients connect on first use.
  async function consumerOptions(env: Record<string, string>): Promise<Record<string, unknown>> {
    const bus = new KafkaBus(readConfig(BaseConfig, env), service, new Readiness());
    const create = jest.spyOn(bus.kafka, 'consumer');
    bus.consumer('intake');
    await bus.onApplicationShutdown();
    return create.mock.calls[0][0] as unknown as Record<string, unknown>;
  }

  it('bounds the bytes a fetch brings back (1 MiB unless KAFKA_FETCH_MAX_BYTES says otherwise), per partition too', async () => {
    expect(await consumerOptions({})).toMatchObject({ groupId: 'intake', maxBytes: 1_048_576, maxBytesPerPartition: 1_048_576 });
    expect(await consumerOptions({ KAFKA_FETCH_MAX_BYTES: '262144' })).toMatchObject({ maxBytes: 262_144, maxBytesPerPartition: 262_144 });
  });

  it('refuses a fetch limit too small to make progress with', () => {
    expect(() => readConfig(BaseConfig, { KAFKA_FETCH_MAX_BYTES: '1000' })).toThrow(/KAFKA_FETCH_MAX_BYTES/);
  });
});
