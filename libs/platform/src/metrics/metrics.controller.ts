import { Controller, Get, Header, Inject, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { KafkaBus } from '../messaging/kafka-bus';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';
import { reportConsumerLag } from './consumer-lag';
import { registry } from './metrics';
import { reportOutboxLag } from './outbox-lag';

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController implements OnModuleInit, OnApplicationShutdown {
  private stops: Array<() => unknown> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: KafkaBus,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
  ) {}

  /** The lags every service has, read when Prometheus scrapes. */
  onModuleInit(): void {
    this.stops = [
      reportOutboxLag(this.dataSource, this.service.name),
      reportConsumerLag(this.bus.offsets, this.service.name, this.service.groupId, this.service.consumes),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
  }

  @Get()
  @Header('Content-Type', registry.contentType)
  metrics(): Promise<string> {
    return registry.metrics();
  }
}
