// The e2e suites call the services through the typed client generated from their OpenAPI documents, so a
// route or body that drifts from the documents fails to compile here.
import { createRecourseClient, RecourseClient, ServiceName } from '@recourse/client';
import { documentedFetch, ServiceProcess, spawnBuiltService } from '@recourse/testing';

/** A client of the four services a suite started; `withToken(token)` names the caller. Each answer is checked against its document. */
export function clientOf(services: Record<ServiceName, { url: string }>): RecourseClient {
  return createRecourseClient({
    baseUrls: { intake: services.intake.url, investigation: services.investigation.url, refund: services.refund.url, notification: services.notification.url },
    fetch: documentedFetch,
  });
}

/**
 * The four built services on `firstPort` … `firstPort + 3` (intake, investigation, refund, notification), each
 * with `env[name]` added to its environment, and a client of them.
 */
export async function startPlatform(firstPort: number, env: Partial<Record<ServiceName, Record<string, string>>> = {}): Promise<{ services: Record<ServiceName, ServiceProcess>; api: RecourseClient }> {
  const names: ServiceName[] = ['intake', 'investigation', 'refund', 'notification'];
  const started = await Promise.all(names.map((name, index) => spawnBuiltService(name, firstPort + index, env[name])));
  const services = Object.fromEntries(started.map((service) => [service.name, service])) as Record<ServiceName, ServiceProcess>;
  return { services, api: clientOf(services) };
}
