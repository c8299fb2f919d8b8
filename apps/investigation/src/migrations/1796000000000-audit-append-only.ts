import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail becomes a property of the database: entries are never changed or removed (as refund's
 * ledger), and each case keeps its chain's head — the last entry's seq and hash — written in the statement
 * that appends the entry. A chain cut short at its end still links; only the head shows what is missing.
 */
export class AuditAppendOnly1796000000000 implements MigrationInterface {
  name = 'AuditAppendOnly1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE investigation.cases
        ADD COLUMN audit_head_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN audit_head_hash char(64) NOT NULL DEFAULT '${'0'.repeat(64)}'`);
    // Cases opened before this migration: their heads are the entries as they stand now.
    await runner.query(`
      UPDATE investigation.cases c SET audit_head_seq = head.seq, audit_head_hash = head.hash
      FROM (SELECT DISTINCT ON (case_id) case_id, seq, hash FROM investigation.audit_entries ORDER BY case_id, seq DESC) head
      WHERE c.id = head.case_id`);
    await runner.query(`
      CREATE FUNCTION investigation.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit trail is append-only: % on investigation.% refused', TG_OP, TG_TABLE_NAME; END $$`);
    await runner.query(`
      CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON investigation.audit_entries
      FOR EACH ROW EXECUTE FUNCTION investigation.audit_append_only()`);
    await runner.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON investigation.audit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION investigation.audit_append_only()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TRIGGER audit_entries_no_truncate ON investigation.audit_entries');
    await runner.query('DROP TRIGGER audit_entries_append_only ON investigation.audit_entries');
    await runner.query('DROP FUNCTION investigation.audit_append_only()');
    await runner.query('ALTER TABLE investigation.cases DROP COLUMN audit_head_seq, DROP COLUMN audit_head_hash');
  }
}
