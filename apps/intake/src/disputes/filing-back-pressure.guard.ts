import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { parseDurationMs, Topics } from '@recourse/contracts';
import { KafkaBus, PipelineLag, refuseWhilePipelineBehind, RouteRefusals, SERVICE_INFO, ServiceInfo } from '@recourse/platform';
import { IntakeConfig } from '../intake.config';

/** The services downstream of a filing, whose groups consume intake's topic or the topics after it. */
const PIPELINE_SERVICES = ['investigation', 'refund', 'notification', 'intake'];

/** PIPELINE_GROUPS, or intake's own group with `intake` replaced by each service's name. */
export function pipelineGroups(setting: string | undefined, ownGroup: string): string[] {
  if (setting) return setting.split(',');
  const suffix = ownGroup.startsWith('intake') ? ownGroup.slice('intake'.length) : '';
  return PIPELINE_SERVICES.map((service) => `${service}${suffix}`);
}

/**
 * Refuses the routes that start downstream work (filing, appeal) with 503 `overloaded` while the dispute
 * pipeline is behind by more than PIPELINE_MAX_BACKLOG. A route refusal (RouteRefusals): it runs with
 * admission control, before the request logger, auth and the Idempotency-Key claim, so a refused filing
 * changed nothing and cost next to nothing.
 */
@Injectable()
export class FilingBackPressure implements OnModuleInit, OnApplicationShutdown {
  private readonly lag: PipelineLag;
  private readonly on: boolean;

  constructor(bus: KafkaBus, config: IntakeConfig, @Inject(SERVICE_INFO) service: ServiceInfo, refusals: RouteRefusals) {
    const maxDelayMs = parseDurationMs(config.PIPELINE_MAX_BACKLOG) as number;
    this.on = maxDelayMs > 0;
    this.lag = new PipelineLag(bus, {
      groups: pipelineGroups(config.PIPELINE_GROUPS, service.groupId),
      topics: [Topics.intake, Topics.investigation, Topics.refund],
      pollIntervalMs: parseDurationMs(config.PIPELINE_POLL_INTERVAL) as number,
    });
    const gate = refuseWhilePipelineBehind(this.lag, maxDelayMs);
    refusals.add('POST', /^\/v1\/disputes\/?$/i, gate);
    refusals.add('POST', /^\/v1\/disputes\/[^/]+\/appeal\/?$/i, gate);
  }

  onModuleInit(): void {
    if (this.on) this.lag.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lag.stop();
  }
}
