import { Injectable } from '@nestjs/common';
import { first, Insertable, Position, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, NotificationWebhookEndpoints } from '../database/notification.tables';

export type EndpointRow = Selectable<NotificationWebhookEndpoints>;
export type NewEndpoint = Pick<Insertable<NotificationWebhookEndpoints>, 'id' | 'merchant_id' | 'url' | 'events' | 'description' | 'secret'>;

const db = tables<DB>();

/** notification.webhook_endpoints: the merchants' endpoints and their signing secrets. */
@Injectable()
export class EndpointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(on: Queryable, endpoint: NewEndpoint): Promise<EndpointRow> {
    return (await first(on, db.insertInto('notification.webhook_endpoints').values(endpoint).returningAll()))!;
  }

  /** A page of the merchant's endpoints, newest first, after the cursor's (created_at, id). */
  list(merchantId: string, after: Position | null, limit: number): Promise<EndpointRow[]> {
    let query = db.selectFrom('notification.webhook_endpoints').selectAll().where('merchant_id', '=', merchantId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (after) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('created_at', 'id'), '<', tuple(after.at, after.id)));
    return rows(this.dataSource, query);
  }

  /** The merchant's endpoint; another merchant's is not found, exactly as a missing one. */
  owned(merchantId: string, id: string): Promise<EndpointRow | undefined> {
    return first(this.dataSource, db.selectFrom('notification.webhook_endpoints').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId));
  }

  /** Deletes the merchant's endpoint (its deliveries and their attempts cascade); false when it has none such. */
  async remove(merchantId: string, id: string): Promise<boolean> {
    const deleted = await rows(this.dataSource, db.deleteFrom('notification.webhook_endpoints').where('id', '=', id).where('merchant_id', '=', merchantId).returning('id'));
    return deleted.length > 0;
  }

  /** `secret` signs from now on; the one it replaces keeps signing alongside it for `graceHours`. */
  rotateSecret(on: Queryable, merchantId: string, id: string, secret: string, graceHours: number): Promise<EndpointRow | undefined> {
    return first(on, db.updateTable('notification.webhook_endpoints')
      .set((eb) => ({
        previous_secret: eb.ref('secret'),
        previous_secret_expires_at: sql<Date>`now() + make_interval(hours => ${graceHours})`,
        secret,
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', id).where('merchant_id', '=', merchantId).returningAll());
  }
}

/** The endpoint's current signing secret, if it still exists (a replayed response shows it again). */
export async function endpointSecret(on: Queryable, id: string): Promise<string | undefined> {
  return (await first(on, db.selectFrom('notification.webhook_endpoints').select('secret').where('id', '=', id)))?.secret;
}
