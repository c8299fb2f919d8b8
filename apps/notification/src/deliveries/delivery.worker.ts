import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseDurationList, parseDurationMs } from '@recourse/contracts';
import { BackgroundWorker, BackgroundWorkers, newEvent, Outbox, StepResult } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { Dispatcher } from 'undici';
import { NOTIFICATION_ACTOR } from '../inbox/notifications.service';
import { NotificationConfig } from '../notification.config';
import { ClaimedDelivery, claimDueDeliveries, disableEndpoint, logAttempt, releaseDelivery, settleDelivery } from './delivery-claims.repository';
import { webhookAttempts, webhookDeliveries } from './delivery.metric';
import { nextStep } from './retry-schedule.rules';
import { webhookDispatcher } from './webhook-dispatcher.client';
import { sendWebhook, SendOptions, SendOutcome } from './webhook-sender.client';

const POLL_MS = 250;

/**
 * Owns webhook delivery, a background worker whose step claims due deliveries (see claimDueDeliveries: leases
 * so replicas never send the same one at once, a cap per endpoint, order per dispute with dispute.created
 * first) and starts sending each; each send records the attempt with its outcome event in one transaction.
 * Sends run side by side up to WEBHOOK_CONCURRENCY; a step never waits on one, and a finished send wakes the
 * worker for the slot it freed. Everything it starts is awaited on shutdown; in-flight requests are aborted
 * and do not count as attempts.
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
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    config: NotificationConfig,
    workers: BackgroundWorkers,
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
    // After a failed claim (database away), wait longer so the log is not flooded.
    this.worker = workers.create({ name: 'webhook-deliveries', step: () => this.claim(), idleMs: POLL_MS, backoff: { firstMs: 2_000, maxMs: 30_000 } });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.worker.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.dispatcher.destroy();
  }

  /** Deliveries became due (new or retried), or a slot freed: look now rather than at the next poll. */
  wake(): void {
    this.worker.wake();
  }

  /** Claims what the free slots can take; a full claim means more may be due, so the next step comes at once. */
  private async claim(): Promise<StepResult> {
    const free = this.concurrency - this.inFlight.size;
    // No slot: a finished send wakes the worker.
    if (free <= 0) return 'idle';
    const rows = await claimDueDeliveries(this.dataSource, {
      limit: free, perEndpoint: this.perEndpoint, leaseSeconds: this.leaseSeconds, orderWaitSeconds: this.orderWaitSeconds,
    });
    for (const row of rows) this.track(this.deliver(row));
    return rows.length === free ? 'busy' : 'idle';
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
      if (!(await settleDelivery(manager, { id: row.id, status: step.status, attempts: attempt, next_attempt_at: step.nextAttemptAt }))) return;
      await logAttempt(manager, {
        delivery_id: row.id, attempt, status: outcome.result === 'succeeded' ? 'succeeded' : 'failed', response_status: outcome.responseStatus,
        error: outcome.error, at: now, next_attempt_at: step.nextAttemptAt,
      });
      if (outcome.result === 'gone') await disableEndpoint(manager, row.endpoint_id);
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
}
