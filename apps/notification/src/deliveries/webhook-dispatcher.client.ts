import { Agent, buildConnector, Dispatcher } from 'undici';
import { isPrivateAddress, resolveHost, ResolveHost, UrlPolicy } from '../endpoints/webhook-url.rules';

/** Why a connection was not made; the sender shows these codes, nothing of the network behind them. */
export type RefusedConnection = 'dns_failed' | 'private_address';

export interface DispatcherOptions {
  policy: UrlPolicy;
  /** How long one name resolution may take: less than the send's timeout, which bounds the whole attempt. */
  dnsTimeoutMs: number;
  resolve?: ResolveHost;
  /** Opens the socket to the checked address (undici's own connector); replaced only in tests. */
  connectSocket?: buildConnector.connector;
}

/** A connection refused before any socket was opened: `code` is what the delivery's attempt records. */
export class ConnectionRefused extends Error {
  constructor(readonly code: RefusedConnection) {
    super(code);
    this.name = 'ConnectionRefused';
  }
}

/**
 * The connection pool webhooks go through. With private addresses refused, every new connection resolves its
 * host once, refuses it if any answer is private (the same rule as at registration), and connects to the first
 * answer itself: no second lookup happens between the check and the connect, so a name that answers a public
 * address and then 127.0.0.1 (DNS rebinding) cannot lead a send inside. Only the address changes: `host` stays,
 * so the Host header and TLS SNI (and certificate check) are the URL's name. A kept-alive connection was checked
 * when it was opened and stays on that address. Locally (private addresses allowed) it is a plain pool.
 */
export function webhookDispatcher(options: DispatcherOptions): Dispatcher {
  if (options.policy.allowPrivate) return new Agent();
  const resolve = options.resolve ?? resolveHost;
  const connectSocket = options.connectSocket ?? buildConnector({});
  const connect: buildConnector.connector = (target, callback) => {
    checkedAddress(target.hostname, resolve, options.dnsTimeoutMs).then(
      (address) => connectSocket({ ...target, hostname: address }, callback),
      (error: unknown) => callback(error as Error, null),
    );
  };
  return new Agent({ connect });
}

async function checkedAddress(host: string, resolve: ResolveHost, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectionRefused('dns_failed')), timeoutMs);
  });
  try {
    const addresses = await Promise.race([resolve(host).catch(() => []), timedOut]);
    if (addresses.length === 0) throw new ConnectionRefused('dns_failed');
    if (addresses.some(isPrivateAddress)) throw new ConnectionRefused('private_address');
    return addresses[0];
  } finally {
    clearTimeout(timer);
  }
}
