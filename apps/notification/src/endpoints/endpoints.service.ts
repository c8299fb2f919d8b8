import { Injectable } from '@nestjs/common';
import { CommonErrors, decodeCursor, newRowId, Page, PageQuery, ProblemException, requestTransaction, toPage } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { newWebhookSecret } from '../deliveries/signing.rules';
import { NotificationConfig } from '../notification.config';
import { CreateEndpointDto } from './dto/create-endpoint.dto';
import { EndpointView, EndpointWithSecretView } from './dto/endpoint.view';
import { toEndpointView } from './endpoint.mapper';
import { EndpointErrors, URL_NOT_ALLOWED } from './endpoints.errors';
import { EndpointRow, EndpointsRepository } from './endpoints.repository';
import { checkWebhookUrl, UrlPolicy } from './webhook-url.rules';

/** How long a rotated-out secret still signs (as a second signature), so receivers can switch over. */
const PREVIOUS_SECRET_GRACE_HOURS = 24;

@Injectable()
export class EndpointsService {
  private readonly policy: UrlPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsRepository,
    config: NotificationConfig,
  ) {
    this.policy = { allowInsecure: config.WEBHOOK_ALLOW_INSECURE === 'true', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'true' };
  }

  async create(merchantId: string, body: CreateEndpointDto): Promise<EndpointWithSecretView> {
    const refused = await checkWebhookUrl(body.url, this.policy);
    if (refused) throw new ProblemException(CommonErrors.ValidationFailed, refused, [{ field: 'url', code: URL_NOT_ALLOWED, message: refused }]);
    const secret = newWebhookSecret();
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.endpoints.insert(manager, {
        id: newRowId(), merchant_id: merchantId, url: body.url, events: body.events ?? null, description: body.description ?? null, secret,
      });
      return { ...toEndpointView(row), secret };
    });
  }

  async list(merchantId: string, query: PageQuery): Promise<Page<EndpointView>> {
    const limit = query.limit ?? 20;
    const rows = await this.endpoints.list(merchantId, decodeCursor(query.cursor), limit + 1);
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toEndpointView);
  }

  /** The merchant's endpoint; another merchant's answers 404 exactly as a missing one. */
  async owned(merchantId: string, id: string): Promise<EndpointRow> {
    const row = await this.endpoints.owned(merchantId, id);
    if (!row) throw new ProblemException(EndpointErrors.NotFound);
    return row;
  }

  /** Removes the endpoint with its queued deliveries and their history. */
  async remove(merchantId: string, id: string): Promise<void> {
    if (!(await this.endpoints.remove(merchantId, id))) throw new ProblemException(EndpointErrors.NotFound);
  }

  /** A new secret signs from now on; the old one keeps signing alongside it for a grace period. */
  async rotateSecret(merchantId: string, id: string): Promise<EndpointWithSecretView> {
    const secret = newWebhookSecret();
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.endpoints.rotateSecret(manager, merchantId, id, secret, PREVIOUS_SECRET_GRACE_HOURS);
      if (!row) throw new ProblemException(EndpointErrors.NotFound);
      return { ...toEndpointView(row), secret };
    });
  }
}
