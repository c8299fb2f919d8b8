import { Insertable, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, NotificationDeliveries, NotificationDeliveryAttempts, NotificationWebhookEndpoints } from '../database/notification.tables';

/** A due delivery with what sending it needs, as the claim returns it (the previous secret only while it is valid). */
export type ClaimedDelivery =
  Pick<Selectable<NotificationDeliveries>, 'id' | 'endpoint_id' | 'webhook_id' | 'type' | 'body' | 'dispute_id' | 'correlation_id' | 'attempts'>
  & Pick<Selectable<NotificationWebhookEndpoints>, 'merchant_id' | 'url' | 'secret' | 'previous_secret'>;

/** Where an attempt leaves its delivery: delivered, pending its next attempt, or failed. */
export type SettledDelivery = Pick<Selectable<NotificationDeliveries>, 'id' | 'status' | 'attempts' | 'next_attempt_at'>;

const db = tables<DB>();

export interface ClaimLimits {
  /** Free slots in the claiming worker. */
  limit: number;
  /** Requests in flight to one endpoint at most, over all replicas. */
  perEndpoint: number;
  /** How long the claim keeps other replicas off, past the longest attempt. */
  leaseSeconds: number;
  /** How long a later webhook waits for a dispute.created that has not been enqueued (WEBHOOK_ORDER_WAIT). */
  orderWaitSeconds: number;
}

/** A delivery is claimable while pending, due, and not leased (or its lease ran out: a replica died with it). */
const CLAIMABLE = sql`d.status = 'pending' AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until <= now())`;

/**
 * Order per dispute and endpoint. A delivery waits while one before it is pending (in flight or waiting for its
 * retry), where `dispute.created` comes before every other type, whatever order the events were consumed in
 * (they come from different topics: a refund can be consumed before intake's dispute.submitted), and ids order
 * the rest. Delivered or given up (failed), a delivery no longer holds the next.
 * A later webhook also waits while notification has no copy of the dispute (dispute.submitted not consumed yet,
 * so its dispute.created may still be enqueued), but at most `orderWait` from its own enqueuing: if
 * dispute.submitted never comes (dead-lettered), it is sent without it rather than held forever. Once the copy
 * is here, an endpoint without a dispute.created delivery (not subscribed to it, disabled then, or registered
 * since) has none coming and is not held. The copy and dispute.created are written in one transaction, so a
 * snapshot sees both or neither.
 */
function inOrder(orderWaitSeconds: number) {
  return sql`NOT EXISTS (
      SELECT 1 FROM notification.deliveries earlier
      WHERE earlier.endpoint_id = d.endpoint_id AND earlier.dispute_id = d.dispute_id AND earlier.status = 'pending'
        AND (earlier.type <> 'dispute.created', earlier.id) < (d.type <> 'dispute.created', d.id))
    AND (d.type = 'dispute.created' OR d.dispute_id IS NULL
      OR EXISTS (SELECT 1 FROM notification.disputes known WHERE known.id = d.dispute_id)
      OR d.created_at <= now() - make_interval(secs => ${orderWaitSeconds}))`;
}

/**
 * Claims due deliveries in one short transaction, under three rules:
 * - **no two sends at once**: a claim leases its rows (`locked_until`), and the leasing UPDATE re-checks the
 *   lease on the row's latest version, so a replica whose snapshot is older cannot take a leased row;
 * - **per-endpoint concurrency**: the endpoints are locked first (FOR NO KEY UPDATE SKIP LOCKED: one replica
 *   counts an endpoint's in-flight requests at a time, and the other moves on to other endpoints; NO KEY so
 *   that enqueuing, which takes KEY SHARE through the foreign key, is not blocked); the claim statement then
 *   runs on a fresh snapshot and gives each endpoint only its free slots;
 * - **order per dispute**: see inOrder; dispute.created first, then in the order they were enqueued.
 * Endpoints are served oldest sendable work first, so a busy endpoint does not starve the others; an endpoint
 * whose due deliveries all wait on order is not taken at all (it would fill the claim's slots with nothing).
 */
export async function claimDueDeliveries(dataSource: DataSource, limits: ClaimLimits): Promise<ClaimedDelivery[]> {
  if (limits.limit <= 0) return [];
  return dataSource.transaction(async (manager) => {
    // Endpoints with pending work are found by skipping through the pending index one endpoint at a time, so
    // the cost follows the number of such endpoints, not the size of a backlog.
    const locked = await rows<{ id: string }>(manager, sql`
       WITH RECURSIVE pending (id) AS (
         (SELECT d.endpoint_id FROM notification.deliveries d WHERE d.status = 'pending' ORDER BY d.endpoint_id LIMIT 1)
         UNION ALL
         SELECT (SELECT d.endpoint_id FROM notification.deliveries d WHERE d.status = 'pending' AND d.endpoint_id > p.id ORDER BY d.endpoint_id LIMIT 1)
         FROM pending p WHERE p.id IS NOT NULL
       )
       SELECT e.id FROM pending p
       JOIN notification.webhook_endpoints e ON e.id = p.id AND e.enabled
       CROSS JOIN LATERAL (
         SELECT d.next_attempt_at FROM notification.deliveries d
         WHERE d.endpoint_id = p.id AND ${CLAIMABLE} AND ${inOrder(limits.orderWaitSeconds)}
         ORDER BY d.next_attempt_at LIMIT 1
       ) oldest
       WHERE (SELECT count(*) FROM notification.deliveries f WHERE f.endpoint_id = p.id AND f.locked_until > now()) < ${limits.perEndpoint}
       ORDER BY oldest.next_attempt_at
       LIMIT ${limits.limit}
       FOR NO KEY UPDATE OF e SKIP LOCKED`);
    if (locked.length === 0) return [];
    return rows<ClaimedDelivery>(manager, sql`
       WITH chosen AS (
         SELECT c.id FROM unnest(${locked.map((row) => row.id)}::text[]) AS ep (id)
         CROSS JOIN LATERAL (
           SELECT ${limits.perEndpoint} - count(*)::int AS free FROM notification.deliveries f WHERE f.endpoint_id = ep.id AND f.locked_until > now()
         ) busy
         CROSS JOIN LATERAL (
           SELECT d.id, d.next_attempt_at FROM notification.deliveries d
           WHERE d.endpoint_id = ep.id AND ${CLAIMABLE} AND ${inOrder(limits.orderWaitSeconds)}
           ORDER BY d.next_attempt_at, d.id
           LIMIT GREATEST(busy.free, 0)
         ) c
         ORDER BY c.next_attempt_at, c.id
         LIMIT ${limits.limit}
       )
       UPDATE notification.deliveries d SET locked_until = now() + make_interval(secs => ${limits.leaseSeconds})
       FROM chosen, notification.webhook_endpoints e
       WHERE d.id = chosen.id AND e.id = d.endpoint_id AND ${CLAIMABLE}
       RETURNING d.id, d.endpoint_id, e.merchant_id, e.url, e.secret,
         CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret,
         d.webhook_id, d.type, d.body, d.dispute_id, d.correlation_id, d.attempts`);
  });
}

/** Gives a claimed delivery back untouched (the service is stopping): the next claim sends it. */
export async function releaseDelivery(on: Queryable, id: number): Promise<void> {
  await rows(on, db.updateTable('notification.deliveries').set({ locked_until: null }).where('id', '=', id));
}

/**
 * Records where an attempt left its delivery and ends its lease. False when the delivery is no longer
 * pending: its endpoint was deleted meanwhile (and the delivery with it), so there is nothing to record.
 */
export async function settleDelivery(on: Queryable, delivery: SettledDelivery): Promise<boolean> {
  const { id, ...settled } = delivery;
  const updated = await rows(on, db.updateTable('notification.deliveries').set({ ...settled, locked_until: null, updated_at: sql`now()` })
    .where('id', '=', id).where('status', '=', 'pending').returning('id'));
  return updated.length > 0;
}

/** The attempt as the endpoint's delivery log lists it. */
export async function logAttempt(on: Queryable, attempt: Omit<Insertable<NotificationDeliveryAttempts>, 'id'>): Promise<void> {
  await rows(on, db.insertInto('notification.delivery_attempts').values(attempt));
}

/** The receiver answered 410 Gone: it wants no more webhooks (Standard Webhooks). */
export async function disableEndpoint(on: Queryable, endpointId: string): Promise<void> {
  await rows(on, db.updateTable('notification.webhook_endpoints').set({ enabled: false, updated_at: sql`now()` }).where('id', '=', endpointId));
}
