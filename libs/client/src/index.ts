// A typed client for the four Recourse services, for mobile apps, merchant integrations, the console and
// the e2e tests. Paths, parameters, bodies and answers come from the types that `npm run client:generate`
// writes from each service's OpenAPI document; nothing here is written by hand per route.
// The CommonJS build by path: openapi-fetch declares its types only under package.json "exports", which
// this workspace's `moduleResolution: node` does not read.
import createClient, { type Client, type Middleware } from 'openapi-fetch/dist/index.cjs';
import type { components as IntakeComponents, paths as IntakePaths } from './generated/intake';
import type { components as InvestigationComponents, paths as InvestigationPaths } from './generated/investigation';
import type { components as NotificationComponents, paths as NotificationPaths } from './generated/notification';
import type { components as RefundComponents, paths as RefundPaths } from './generated/refund';

export type { IntakePaths, InvestigationPaths, NotificationPaths, RefundPaths };
/** The named schemas of each service's document, such as `IntakeSchemas['DisputeView']`. */
export type IntakeSchemas = IntakeComponents['schemas'];
export type InvestigationSchemas = InvestigationComponents['schemas'];
export type RefundSchemas = RefundComponents['schemas'];
export type NotificationSchemas = NotificationComponents['schemas'];

export const SERVICES = ['intake', 'investigation', 'refund', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** RFC 9457 problem document, the body of every error answer (CONTRACT §1). */
export type Problem = IntakeSchemas['ProblemDoc'];

/** A bearer token, or a function that yields a fresh one before each request (a mobile app refreshing it). */
export type TokenSource = string | (() => string | Promise<string>);

export type RecourseClientOptions = ({ baseUrls: Record<ServiceName, string> } | { baseUrl: string }) & {
  token?: TokenSource;
  fetch?: typeof globalThis.fetch;
  /** Sent with every request. */
  headers?: Record<string, string>;
};

export interface RecourseClient {
  intake: Client<IntakePaths>;
  investigation: Client<InvestigationPaths>;
  refund: Client<RefundPaths>;
  notification: Client<NotificationPaths>;
  /** The same services as another caller. */
  withToken(token: TokenSource): RecourseClient;
}

/**
 * `baseUrls` names each service's origin; `baseUrl` is one origin that routes `/v1/...` to every service
 * (a gateway). Every call answers `{ data, error, response }`: `data` typed by the route's success schema,
 * `error` a {@link Problem}.
 */
export function createRecourseClient(options: RecourseClientOptions): RecourseClient {
  const baseUrlOf = (service: ServiceName) => ('baseUrls' in options ? options.baseUrls[service] : options.baseUrl);
  const auth = bearer(options.token);
  const build = <Paths extends object>(service: ServiceName): Client<Paths> => {
    const client = createClient<Paths>({ baseUrl: baseUrlOf(service), fetch: options.fetch, headers: options.headers });
    if (auth) client.use(auth);
    return client;
  };
  return {
    intake: build<IntakePaths>('intake'),
    investigation: build<InvestigationPaths>('investigation'),
    refund: build<RefundPaths>('refund'),
    notification: build<NotificationPaths>('notification'),
    withToken: (token) => createRecourseClient({ ...options, token }),
  };
}

function bearer(token: TokenSource | undefined): Middleware | undefined {
  if (token === undefined) return undefined;
  return {
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
      return request;
    },
  };
}

/**
 * A fresh Idempotency-Key (CONTRACT §1). Keep it for every retry of the same creation: the service answers
 * a retry with the first answer and `Idempotent-Replayed: true`, so a lost response never files twice.
 */
export function idempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** A problem answer, thrown by {@link ok}. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'ProblemError';
  }
}

/** The data of a successful answer; a problem answer throws a {@link ProblemError}. */
export async function ok<Data>(call: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  const { data, error, response } = await call;
  if (response.ok) return data as Data;
  throw new ProblemError(response.status, error as Problem);
}
export * from './file-dispute';
export * from './until-admitted';
