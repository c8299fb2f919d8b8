// MIGRATE_ONLY: a service's module migrates its schema without Kafka (the broker here is unreachable).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { BaseConfig, readConfig } from '../config/config';
import { PlatformModule } from '../platform.module';
import { migrateOnly } from './migrate-only';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
const schema = `migrate_only_${randomUUID().slice(0, 8)}`;

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${schema}".widgets (id int PRIMARY KEY)`);
  }
  async down(): Promise<void> {
    return undefined;
  }
}

function serviceModule() {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const config = readConfig(BaseConfig, {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: '127.0.0.1:1',
    LOG_LEVEL: 'silent',
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    MIGRATE_ONLY: 'true',
  });
  return PlatformModule.forService({ name: schema, config, configClass: BaseConfig, entities: [], migrations: [CreateWidgets1700000000000] });
}

describe('migrateOnly', () => {
  const db = new Client({ connectionString: databaseUrl });
  beforeAll(() => db.connect());
  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  });

  it('applies pending migrations without a broker, then finds nothing left to apply', async () => {
    expect(await migrateOnly(serviceModule(), schema)).toEqual(['CreateWidgets1700000000000']);
    const { rows } = await db.query(`SELECT count(*)::int AS count FROM "${schema}".widgets`);
    expect(rows).toEqual([{ count: 0 }]);
    expect(await migrateOnly(serviceModule(), schema)).toEqual([]);
  }, 30_000);
});
