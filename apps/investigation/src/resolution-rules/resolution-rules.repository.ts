import { Injectable } from '@nestjs/common';
import { first, rows, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB } from '../database/investigation.tables';
import { ResolutionRule } from './resolution-rules.rules';

const db = tables<DB>();

export interface StoredRules {
  rules: ResolutionRule[];
  updatedAt: Date;
}

/** Each merchant's resolution rules, one row a merchant. */
@Injectable()
export class ResolutionRulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(merchantId: string): Promise<StoredRules | undefined> {
    const row = await first(this.dataSource, db.selectFrom('investigation.resolution_rules').select(['rules', 'updated_at']).where('merchant_id', '=', merchantId));
    return row && { rules: row.rules, updatedAt: row.updated_at as Date };
  }

  /** Replaces the merchant's whole list. */
  async replace(merchantId: string, rules: ResolutionRule[]): Promise<StoredRules> {
    const [row] = await rows(this.dataSource, db.insertInto('investigation.resolution_rules')
      // jsonb sent as JSON text: the driver would send an array as a Postgres array.
      .values({ merchant_id: merchantId, rules: sql<ResolutionRule[]>`${JSON.stringify(rules)}`, updated_at: sql<Date>`now()` })
      .onConflict((conflict) => conflict.column('merchant_id').doUpdateSet({ rules: (eb) => eb.ref('excluded.rules'), updated_at: sql<Date>`now()` }))
      .returning(['rules', 'updated_at']));
    return { rules: row.rules, updatedAt: row.updated_at as Date };
  }
}

