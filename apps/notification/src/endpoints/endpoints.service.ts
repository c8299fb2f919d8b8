import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommonErrors, decodeCursor, Page, PageQuery, ProblemException, requestTransaction, toPage } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { newWebhookSecret } from '../deliveries/signing';
import { NotificationConfig } from '../notification.config';
import { CreateEndpointDto } from './dto/create-endpoint.dto';
import { EndpointView, EndpointWithSecretView } from './dto/endpoint.view';
import { EndpointRow, toEndpointView } from './endpoint.row';
import { EndpointErrors, URL_NOT_ALLOWED } from './endpoints.errors';
import { checkWebhookUrl, UrlPolicy } from './webhook-url';

/** How long a rotated-out secret still signs (as a second signature), so receivers can switch over. */
const PREVIOUS_SECRET_GRACE_HOURS = 24;

@Injectable()
export class EndpointsService {
  private readonly policy: UrlPolicy;

  constructor(
    private readonly dataSource: DataSource,
    config: NotificationConfig,
  ) {
    this.policy = { allowInsecure: config.WEBHOOK_ALLOW_INSECURE === 'true', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'true' };
  }

  async create(merchantId: string, body: CreateEndpointDto): Promise<EndpointWithSecretView> {
    const refused = await checkWebhookUrl(body.url, this.policy);
    if (refused) throw new ProblemException(CommonErrors.ValidationFailed, refused, [{ field: 'url', code: URL_NOT_ALLOWED, message: refused }]);
    const secret = newWebhookSecret();
    return requestTransaction(this.dataSource, async (manager) => {
      const [row]: EndpointRow[] = await manager.query(
        `INSERT INTO notification.webhook_endpoints (id, merchant_id, url, events, description, secret)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [randomUUID(), merchantId, body.url, body.events ?? null, body.description ?? null, secret],
      );
      return { ...toEndpointView(row), secret };
    });
  }

  async list(merchantId: string, query: PageQuery): Promise<Page<EndpointView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows: EndpointRow[] = await this.dataSource.query(
      `SELECT * FROM notification.webhook_endpoints
       WHERE merchant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [merchantId, after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toEndpointView);
  }

  /** Removes the endpoint with its queued deliveries and their history. */
  async remove(merchantId: string, id: string): Promise<void> {
    const [deleted]: [unknown[], number] = await this.dataSource.query(
      'DELETE FROM notification.webhook_endpoints WHERE id = $1 AND merchant_id = $2 RETURNING id',
      [id, merchantId],
    );
    if (deleted.length === 0) throw new ProblemException(EndpointErrors.NotFound);
  }

  /** A new secret signs from now on; the old one keeps signing alongside it for a grace period. */
  async rotateSecret(merchantId: string, id: string): Promise<EndpointWithSecretView> {
    const secret = newWebhookSecret();
    return requestTransaction(this.dataSource, async (manager) => {
      const [rows]: [EndpointRow[], number] = await manager.query(
        `UPDATE notification.webhook_endpoints
         SET previous_secret = secret, previous_secret_expires_at = now() + make_interval(hours => $4), secret = $3, updated_at = now()
         WHERE id = $1 AND merchant_id = $2 RETURNING *`,
        [id, merchantId, secret, PREVIOUS_SECRET_GRACE_HOURS],
      );
      if (rows.length === 0) throw new ProblemException(EndpointErrors.NotFound);
      return { ...toEndpointView(rows[0]), secret };
    });
  }
}
