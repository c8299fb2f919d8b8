import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseDurationList, parseDurationMs } from '@recourse/contracts';
import { newEvent, Outbox } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { Dispatcher } from 'undici';
import { NOTIFICATION_ACTOR } from '../inbox/notifications.service';
import { NotificationConfig } from '../notification.config';
import { ClaimedDelivery, claimDueDeliveries, releaseDelivery } from './delivery-claims';
import { webhookAttempts, webhookDeliveries } from './delivery.metrics';
import { nextStep } from './retry-schedule';
import { webhookDispatcher } from './webhook-dispatcher';
import { sendWebhook, SendOptions, SendOutcome } from './webhook-sender';

const POLL_MS = 250;
/** After a failed claim (database away), wait longer so the log is not flooded. */
const ERROR_BACKOFF_MS = 2_000;

/**
 * Owns the delivery loop: claims due deliveries (see claimDueDeliveries: leases so replicas never send the same
 * one at once, a cap per endpoint, order per dispute with dispute.created first), sends each, and records the attempt with its outcome
 * event in one transaction. Sends run side by side up to WEBHOOK_CONCURRENCY; the loop never waits on one.
 * Everything it starts is awaited on shutdown; in-flight requests are aborted and do not count as attempts.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly scheduleMs: number[];
  private readonly timeoutMs: number;
  private readonly leaseSeconds: number;
  private readonly orderWaitSeconds: number;
  private readonly concurrency: number;
  private readonly perEndpoint: number;
  private readonly policy: SendOptions['policy'];
  private readonly dispatcher: Dispatcher;
  private readonly stop = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private woken = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    config: NotificationConfig,
  ) {
    this.scheduleMs = parseDurationList(config.WEBHOOK_RETRY_SCHEDULE)!;
    this.timeoutMs = parseDurationMs(config.WEBHOOK_TIMEOUT)!;
    // The lease outlives the longest attempt, so only a crashed replica's claims are ever taken over.
    this.leaseSeconds = Math.ceil(this.timeoutMs / 1000) + 30;
    this.orderWaitSeconds = parseDurationMs(config.WEBHOOK_ORDER_WAIT)! / 1000;
    this.concurrency = config.WEBHOOK_CONCURRENCY;
    this.perEndpoint = config.WEBHOOK_ENDPOINT_CONCURRENCY;
    this.policy = { allowInsecure: config.WEBHOOK_ALLOW_INSECURE === 'true', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'true' };
    // Resolving takes at most half the attempt's timeout (5 s at most), so the connection and answer have the rest.
    this.dispatcher = webhookDispatcher({ policy: this.policy, dnsTimeoutMs: Math.min(5_000, Math.ceil(this.timeoutMs / 2)) });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stop.abort();
    this.wake();
    await this.loop;
    await this.dispatcher.destroy();
  }

  /** Deliveries became due (new or retried): look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.inFlight.size;
      let claimed = 0;
      let pause = POLL_MS;
      try {
        if (free > 0) {
          const rows = await claimDueDeliveries(this.dataSource, {
            limit: free, perEndpoint: this.perEndpoint, leaseSeconds: this.leaseSeconds, orderWaitSeconds: this.orderWaitSeconds,
          });
          claimed = rows.length;
          for (const row of rows) this.track(this.deliver(row));
        }
      } catch (error) {
        if (this.running) this.logger.warn({ err: error }, 'claiming webhook deliveries failed; retrying');
        pause = ERROR_BACKOFF_MS;
      }
      // A full claim means more may be due: go again at once.
      if (this.running && (free === 0 || claimed < free)) await this.sleep(pause);
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private track(task: Promise<void>): void {
    const tracked: Promise<void> = task.finally(() => {
      this.inFlight.delete(tracked);
      this.wake();
    });
    this.inFlight.add(tracked);
  }

  /** Never rejects: a failure to record leaves the lease to expire, and the attempt is made again. */
  private async deliver(row: ClaimedDelivery): Promise<void> {
    try {
      const secrets = row.previous_secret ? [row.secret, row.previous_secret] : [row.secret];
      const outcome = await sendWebhook(
        { url: row.url, webhookId: row.webhook_id, body: row.body, secrets },
        { timeoutMs: this.timeoutMs, stop: this.stop.signal, policy: this.policy, dispatcher: this.dispatcher },
      );
      if (outcome.result === 'aborted') await releaseDelivery(this.dataSource, row.id);
      else await this.record(row, outcome);
    } catch (error) {
      this.logger.error({ err: error, endpointId: row.endpoint_id, webhookId: row.webhook_id }, 'recording a webhook attempt failed');
    }
  }

  private async record(row: ClaimedDelivery, outcome: SendOutcome): Promise<void> {
    const attempt = row.attempts + 1;
    const now = new Date();
    const step = nextStep(attempt, outcome.result === 'aborted' ? 'failed' : outcome.result, this.scheduleMs, now);
    await this.dataSource.transaction(async (manager) => {
      const [updated]: [unknown[], number] = await manager.query(
        `UPDATE notification.deliveries SET status = $2, attempts = $3, next_attempt_at = $4, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'pending' RETURNING id`,
        [row.id, step.status, attempt, step.nextAttemptAt],
      );
      if (updated.length === 0) return; // its endpoint was deleted meanwhile
      await manager.query(
        `INSERT INTO notification.delivery_attempts (delivery_id, attempt, status, response_status, error, at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, attempt, outcome.result === 'succeeded' ? 'succeeded' : 'failed', outcome.responseStatus, outcome.error, now, step.nextAttemptAt],
      );
      if (outcome.result === 'gone') {
        await manager.query('UPDATE notification.webhook_endpoints SET enabled = false, updated_at = now() WHERE id = $1', [row.endpoint_id]);
      }
      if (step.status === 'pending') return;
      const type = step.status === 'delivered' ? ('webhook.delivered' as const) : ('webhook.failed' as const);
      await this.outbox.append(manager, [
        newEvent(type, {
          disputeId: row.dispute_id,
          actor: NOTIFICATION_ACTOR,
          correlationId: row.correlation_id,
          causationId: row.webhook_id,
          data: { endpointId: row.endpoint_id, merchantId: row.merchant_id, eventId: row.webhook_id, type: row.type, attempts: attempt },
        }, now),
      ]);
    });
    webhookAttempts.inc({ result: outcome.result });
    if (step.status !== 'pending') webhookDeliveries.inc({ outcome: step.status });
    const level = step.status === 'delivered' ? 'log' : 'warn';
    this.logger[level]({
      endpointId: row.endpoint_id, webhookId: row.webhook_id, disputeId: row.dispute_id, correlationId: row.correlation_id, attempt, status: step.status,
      responseStatus: outcome.responseStatus, error: outcome.error,
    }, 'webhook attempt');
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wakeUp = null;
      this.woken = false;
    });
  }
}
