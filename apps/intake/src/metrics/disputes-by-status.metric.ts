import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DISPUTE_STATUSES } from '@recourse/contracts';
import { cached, SERVICE_INFO, ServiceInfo, ScrapedGauge } from '@recourse/platform';
import { MetricsRepository } from './metrics.repository';

const disputesByStatus = new ScrapedGauge({
  name: 'recourse_disputes',
  help: 'Disputes by status, counted in intake at scrape time',
  labelNames: ['status'],
});

/**
 * Counts intake's own disputes by status when Prometheus scrapes, reused for 10 s. Every status is reported,
 * zero included, so a status that empties shows 0 rather than vanishing from the graph.
 */
@Injectable()
export class DisputesByStatusMetric implements OnModuleInit, OnApplicationShutdown {
  private stop: () => void = () => undefined;

  constructor(
    private readonly repository: MetricsRepository,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
  ) {}

  onModuleInit(): void {
    this.stop = disputesByStatus.register(this.service.name, cached(() => this.count(), 10_000));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  private async count() {
    const rows = await this.repository.disputesByStatus();
    const counts = new Map(rows.map((row) => [row.status, row.count]));
    return [...new Set<string>([...DISPUTE_STATUSES, ...counts.keys()])].map((status) => ({ labels: { status }, value: counts.get(status) ?? 0 }));
  }
}
