import { Module } from '@nestjs/common';
import { DisputesByStatusMetric } from './disputes-by-status.metric';
import { MetricsRepository } from './metrics.repository';

/** Intake's own gauges (the platform's metrics, HTTP and Kafka, come with PlatformModule). */
@Module({
  providers: [MetricsRepository, DisputesByStatusMetric],
})
export class MetricsModule {}
