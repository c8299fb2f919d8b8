import { DataSource } from 'typeorm';

/** A due delivery with what sending it needs, as the claim returns it. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  merchant_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  webhook_id: string;
  type: string;
  body: string;
  dispute_id: string | null;
  correlation_id: string;
  attempts: number;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints in one short statement: SKIP LOCKED keeps two
 * replicas off the same rows, and the lease (`locked_until`) keeps them off while the request is out, after
 * the row lock is gone. The previous secret travels only while it is still honoured (24 h after a rotation).
 */
export async function claimDueDeliveries(dataSource: DataSource, limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
  const [rows]: [ClaimedDelivery[], number] = await dataSource.query(
    `WITH due AS (
       SELECT d.id FROM notification.deliveries d
       JOIN notification.webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
       WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())
       ORDER BY d.next_attempt_at
       LIMIT $1
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE notification.deliveries d SET locked_until = now() + make_interval(secs => $2)
     FROM due, notification.webhook_endpoints e
     WHERE d.id = due.id AND e.id = d.endpoint_id
     RETURNING d.id, d.endpoint_id, e.merchant_id, e.url, e.secret,
       CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret,
       d.webhook_id, d.type, d.body, d.dispute_id, d.correlation_id, d.attempts`,
    [limit, leaseSeconds],
  );
  return rows;
}

/** Gives a claimed delivery back untouched (the service is stopping): the next claim sends it. */
export async function releaseDelivery(dataSource: DataSource, id: string): Promise<void> {
  await dataSource.query('UPDATE notification.deliveries SET locked_until = NULL WHERE id = $1', [id]);
}
