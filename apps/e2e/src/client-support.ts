// The e2e suites call the services through the typed client generated from their OpenAPI documents, so a
// route or body that drifts from the documents fails to compile here.
import { createRecourseClient, RecourseClient, ServiceName } from '@recourse/client';
import { documentedFetch } from '@recourse/testing';

/** A client of the four services a suite started; `withToken(token)` names the caller. Each answer is checked against its document. */
export function clientOf(services: Record<ServiceName, { url: string }>): RecourseClient {
  return createRecourseClient({
    baseUrls: { intake: services.intake.url, investigation: services.investigation.url, refund: services.refund.url, notification: services.notification.url },
    fetch: documentedFetch,
  });
}
