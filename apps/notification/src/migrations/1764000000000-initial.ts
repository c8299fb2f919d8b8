import { createPlatformTables } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createPlatformTables(runner, 'notification');
    // What dispute.submitted told us, so later events (decision, refund) can be addressed and worded.
    await runner.query(`
      CREATE TABLE notification.disputes (
        id text PRIMARY KEY,
        payment_id text NOT NULL,
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        reason text NOT NULL,
        locale text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE notification.notifications (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        dispute_id text NOT NULL,
        type text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        locale text NOT NULL,
        source_event_id text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await runner.query(`CREATE INDEX notifications_customer_created ON notification.notifications (customer_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE notification.webhook_endpoints (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        url text NOT NULL,
        events text[],
        description text,
        enabled boolean NOT NULL DEFAULT true,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`COMMENT ON COLUMN notification.webhook_endpoints.events IS 'NULL: every type, including types added later'`);
    await runner.query(`CREATE INDEX webhook_endpoints_merchant ON notification.webhook_endpoints (merchant_id, created_at DESC, id DESC)`);
    // One row per (endpoint, event): the durable queue. webhook_id is the event id, the same on every retry.
    await runner.query(`
      CREATE TABLE notification.deliveries (
        id bigserial PRIMARY KEY,
        endpoint_id text NOT NULL REFERENCES notification.webhook_endpoints (id) ON DELETE CASCADE,
        webhook_id text NOT NULL,
        type text NOT NULL,
        body text NOT NULL,
        dispute_id text,
        correlation_id text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (endpoint_id, webhook_id)
      )`);
    await runner.query(`CREATE INDEX deliveries_due ON notification.deliveries (next_attempt_at) WHERE status = 'pending'`);
    // The claim walks one endpoint's due deliveries oldest first, and asks whether an earlier delivery of the
    // same dispute to the same endpoint is still pending (ordering per dispute).
    await runner.query(`CREATE INDEX deliveries_endpoint_due ON notification.deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending'`);
    await runner.query(`CREATE INDEX deliveries_endpoint_dispute ON notification.deliveries (endpoint_id, dispute_id, id) WHERE status = 'pending'`);
    // Leased rows only (requests out now, or a crashed replica's): counting an endpoint's in-flight requests stays cheap.
    await runner.query(`CREATE INDEX deliveries_leased ON notification.deliveries (endpoint_id) WHERE locked_until IS NOT NULL`);
    await runner.query(`
      CREATE TABLE notification.delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES notification.deliveries (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        response_status integer,
        error text,
        at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz
      )`);
    await runner.query(`CREATE INDEX delivery_attempts_delivery ON notification.delivery_attempts (delivery_id, at DESC, id DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA notification CASCADE');
  }
}
