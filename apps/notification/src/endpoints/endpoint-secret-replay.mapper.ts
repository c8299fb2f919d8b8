import { ResponseSecret } from '@recourse/platform';
import { EndpointView, EndpointWithSecretView } from './dto/endpoint.view';
import { endpointSecret } from './endpoints.repository';

/**
 * The responses of `POST /v1/webhook-endpoints` and `rotate-secret` carry the endpoint's signing secret. Their
 * replayable copies (kept 24 h under the request's Idempotency-Key, then purged) keep no copy of it: a replay
 * reads it again from the endpoint, which must hold it anyway to sign. So a replay shows the endpoint's
 * current secret (after a later rotation, the newer one, which is what signs); once the key has expired no
 * request shows it again. An endpoint deleted since replays without a secret.
 */
export const endpointSecretReplay: ResponseSecret<EndpointWithSecretView, EndpointView> = {
  omit: ({ secret: _secret, ...view }: EndpointWithSecretView): EndpointView => view,
  async restore(manager, stored: EndpointView): Promise<EndpointView | EndpointWithSecretView> {
    const secret = await endpointSecret(manager, stored.id);
    return secret === undefined ? stored : { ...stored, secret };
  },
};
