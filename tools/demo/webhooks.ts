import { Delivery, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';

/** A webhook as the merchant's server saw it, with whether its signature verified. */
export interface Hook {
  merchantId: string;
  id: string;
  type?: string;
  data: Record<string, unknown>;
  verified: boolean;
  error: string | null;
}

/**
 * The merchants' webhook endpoints at `${receiver.url}/<merchant id>`: each delivery is verified as a merchant
 * would (the standardwebhooks package checks the HMAC with that merchant's secret and that the timestamp is
 * recent) and answered 204, or 400 when it does not verify.
 */
export async function startMerchantEndpoints(port: number): Promise<{ receiver: WebhookReceiver; hooks: Hook[]; secrets: Map<string, string> }> {
  const hooks: Hook[] = [];
  const secrets = new Map<string, string>();
  const verify = ({ path, headers, body }: Delivery) => {
    const merchantId = decodeURIComponent(path.replace(/^\/hooks\//, ''));
    let json: { type?: string; data?: Record<string, unknown> } | null = null;
    let error: string | null = null;
    try {
      json = new Webhook(secrets.get(merchantId) ?? 'whsec_').verify(body, headers as Record<string, string>) as typeof json;
    } catch (caught) {
      error = (caught as Error).message;
      try {
        json = JSON.parse(body);
      } catch {
        // neither signed nor JSON
      }
    }
    hooks.push({ merchantId, id: String(headers['webhook-id']), type: json?.type, data: json?.data ?? {}, verified: error === null, error });
    return error === null ? 204 : 400;
  };
  return { receiver: await WebhookReceiver.start({ port, answer: verify }), hooks, secrets };
}
