import { Injectable } from '@nestjs/common';
import { rows, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB } from '../database/intake.tables';

const db = tables<DB>();

/** What intake's own gauges count, read at scrape time. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  disputesByStatus(): Promise<Array<{ status: string; count: number }>> {
    return rows(this.dataSource, db.selectFrom('intake.disputes').select(['status', sql<number>`count(*)::int`.as('count')]).groupBy('status'));
  }
}
