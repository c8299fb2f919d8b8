import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { BaseConfig } from '../config/config';
import { first, sql } from '../database/sql';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';
import { CommonErrors, ProblemException } from './problem';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Writes per caller per minute (RATE_LIMIT_PER_MINUTE, 0 = off), counted in Postgres so that every replica
 * shares one count. Fixed one-minute windows: simple, and a burst at a boundary is at most twice the limit.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly table;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: BaseConfig,
    @Inject(SERVICE_INFO) service: ServiceInfo,
  ) {
    this.table = sql.table(`${service.name}.rate_limits`);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.config.RATE_LIMIT_PER_MINUTE;
    if (context.getType() !== 'http' || limit === 0) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (!WRITES.has(request.method) || !request.principal) return true;
    const { count, retry_after } = (await first(this.dataSource, sql<{ count: number; retry_after: number }>`
      INSERT INTO ${this.table} (sub, window_start, count) VALUES (${request.principal.sub}, date_trunc('minute', now()), 1)
      ON CONFLICT (sub, window_start) DO UPDATE SET count = rate_limits.count + 1
      RETURNING count, ceil(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now()))::int AS retry_after`))!;
    if (count > limit) {
      throw new ProblemException(CommonErrors.RateLimited, `at most ${limit} writes a minute`, undefined, { 'Retry-After': String(Math.max(1, retry_after)) });
    }
    return true;
  }
}
