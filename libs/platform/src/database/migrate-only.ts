import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { migrate } from './database';

/**
 * MIGRATE_ONLY=true, for a migration Job that runs once before a rollout whose Deployments set
 * MIGRATE_ON_BOOT=false. The service's module is built but never initialised: its database connection opens,
 * while Kafka, HTTP, consumers and background workers (all started by init hooks) stay off. Returns the
 * names of the migrations applied.
 */
export async function migrateOnly(module: unknown, schema: string): Promise<string[]> {
  const app = await NestFactory.create(module as never, { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await migrate(app.get(DataSource), schema);
  } finally {
    await app.close();
  }
}
