import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Queryable, rows, sql } from '@recourse/platform';
import { DeviceRingHistory, FRAUD_RING_FLAG, RING_CLUSTER_MAX, RING_FLAG_MAX, RingMember } from './ring.rules';

/** The first key of the devices' advisory locks (two-key form: apart from every one-key lock), "RING". */
const RING_LOCKS = 0x52494e47;

/** A device's lock key: 32 bits of its id's SHA-256. Two devices sharing one only wait for each other. */
const lockKey = (deviceId: string) => createHash('sha256').update(deviceId).digest().readInt32BE(0);

/** What triage reads of fraud rings (CONTRACT §12), under the devices' locks. */
@Injectable()
export class RingRepository {
  /**
   * Locks the devices until the batch transaction ends, in key order (so batches never wait for each other in a
   * cycle). A batch opening an unrecognised charge on a device waits for any other batch doing so to commit, and
   * its next statements see that batch's cases: two batches on different partitions cannot both count two customers
   * and miss the third.
   */
  async lock(on: Queryable, deviceIds: readonly string[]): Promise<void> {
    const keys = [...new Set(deviceIds.map(lockKey))].sort((a, b) => a - b);
    await rows(on, sql`SELECT count(pg_advisory_xact_lock(${RING_LOCKS}::int, k)) FROM unnest(${keys}::int[]) AS k`);
  }

  /**
   * Per device, its unrecognised-charge cases' customers (the first RING_CLUSTER_MAX in byte order) and those not yet
   * flagged (at most RING_FLAG_MAX). The customers are a loose index scan of cases_ring_customers (each step seeks the
   * next customer), so a device with thousands of cases of a few customers costs a few probes; the unflagged are a
   * range of cases_ring_unflagged, which holds only cases not yet flagged.
   */
  async read(on: Queryable, deviceIds: readonly string[]): Promise<Map<string, DeviceRingHistory>> {
    const found = await rows(on, sql<{ device_id: string; customers: string[]; unflagged: RingMember[] }>`
      SELECT d.device_id,
        ARRAY(
          WITH RECURSIVE walk (customer_id) AS (
            (SELECT c.customer_id COLLATE "C" FROM investigation.cases c
              WHERE c.payment->'device'->>'id' = d.device_id AND c.reason = 'unrecognized_charge' ORDER BY 1 LIMIT 1)
            UNION ALL
            SELECT (SELECT c.customer_id COLLATE "C" FROM investigation.cases c
                     WHERE c.payment->'device'->>'id' = d.device_id AND c.reason = 'unrecognized_charge' AND c.customer_id COLLATE "C" > walk.customer_id
                     ORDER BY 1 LIMIT 1)
              FROM walk WHERE walk.customer_id IS NOT NULL)
          SELECT customer_id FROM walk WHERE customer_id IS NOT NULL LIMIT ${RING_CLUSTER_MAX}) AS customers,
        (SELECT coalesce(json_agg(json_build_object('caseId', u.id, 'customerId', u.customer_id, 'paymentId', u.payment_id) ORDER BY u.id), '[]') FROM (
           SELECT c.id, c.customer_id, c.payment_id FROM investigation.cases c
            WHERE c.payment->'device'->>'id' = d.device_id AND c.reason = 'unrecognized_charge' AND NOT (${sql.lit(FRAUD_RING_FLAG)} = ANY (c.flags))
            ORDER BY c.id LIMIT ${RING_FLAG_MAX}) u) AS unflagged
      FROM unnest(${[...new Set(deviceIds)]}::text[]) AS d (device_id)`);
    return new Map(found.map((row) => [row.device_id, { customers: row.customers, unflagged: row.unflagged }]));
  }
}
