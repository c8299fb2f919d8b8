import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mass incidents (CONTRACT §12). An incident gathers a merchant's cases of one reason that triage left in the
 * queue; at most one per (merchant, reason) accepts new cases at a time (the partial unique index), which is
 * every open incident whose resolution has not been requested yet. The resolution request is kept on the row
 * before any case is decided, so a restart resumes it; `decided_count` and `held_case_ids` grow in the same
 * transaction as each chunk of decisions.
 *
 * cases.incident_id is indexed with the case id (the resolver reads an incident's undecided cases in id order).
 * The opening probe counts a merchant's candidate cases of a reason in a window through
 * cases_incident_candidates: those not in an incident that triage did not decide (an automatic decision is
 * taken by the `triage` actor). Its predicate is repeated word for word by the probe (IncidentsRepository).
 */
export class Incidents1797000000300 implements MigrationInterface {
  name = 'Incidents1797000000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE investigation.incidents (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        opened_at timestamptz NOT NULL,
        resolution jsonb,
        resolution_requested_at timestamptz,
        progress_at timestamptz,
        decided_count int NOT NULL DEFAULT 0,
        held_case_ids text[] NOT NULL DEFAULT '{}',
        resolved_at timestamptz,
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
        CHECK (resolved_at IS NULL OR resolution IS NOT NULL)
      )`);
    await runner.query(`CREATE UNIQUE INDEX incidents_one_accepting ON investigation.incidents (merchant_id, reason)
      WHERE status = 'open' AND resolution IS NULL`);
    await runner.query('CREATE INDEX incidents_opened ON investigation.incidents (opened_at DESC, id DESC)');
    await runner.query('CREATE INDEX incidents_merchant ON investigation.incidents (merchant_id, opened_at DESC, id DESC)');
    // The resumer looks for requested resolutions that have not finished.
    await runner.query(`CREATE INDEX incidents_resolving ON investigation.incidents (progress_at) WHERE status = 'open' AND resolution IS NOT NULL`);
    await runner.query('ALTER TABLE investigation.cases ADD COLUMN incident_id text REFERENCES investigation.incidents (id)');
    await runner.query('CREATE INDEX cases_incident ON investigation.cases (incident_id, id) WHERE incident_id IS NOT NULL');
    await runner.query(`CREATE INDEX cases_incident_candidates ON investigation.cases (merchant_id, reason, created_at)
      WHERE incident_id IS NULL AND (decision IS NULL OR decision->'decidedBy'->>'id' <> 'triage')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX investigation.cases_incident_candidates');
    await runner.query('DROP INDEX investigation.cases_incident');
    await runner.query('ALTER TABLE investigation.cases DROP COLUMN incident_id');
    await runner.query('DROP TABLE investigation.incidents');
  }
}
