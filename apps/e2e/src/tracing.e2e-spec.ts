// Tracing (issue 10): the four built services export spans by OTLP/HTTP (JSON) to a receiver this test runs.
// A dispute filed with a `traceparent` the test chose must come back as one trace: intake's HTTP server span
// under the test's span, Postgres spans in every service, and each Kafka hop a "process" consumer span whose
// parent is the producing service's "publish" span, with every parent link inside the trace.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { disconnectTestProducer, request, spawnBuiltService, stopAllProcesses, tokenFor, waitFor } from '@recourse/testing';
import { recordPayment } from './security.harness';

const PORTS = { intake: 4501, investigation: 4502, refund: 4503, notification: 4504 } as const;
const COLLECTOR_PORT = 4509;

/** The OTLP JSON encoding's span kinds. */
const Kind = { server: 2, producer: 4, consumer: 5 } as const;

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: AnyValue }>;
}
interface ExportRequest {
  resourceSpans?: Array<{ resource?: { attributes?: Array<{ key: string; value: AnyValue }> }; scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}
/** A received span with the service (resource service.name) that sent it. */
type Received = OtlpSpan & { service: string };

const attribute = (span: OtlpSpan, key: string) => span.attributes?.find((entry) => entry.key === key)?.value.stringValue;

describe('one dispute is one trace across the four services', () => {
  const received: Received[] = [];
  let collector: Server;

  beforeAll(async () => {
    collector = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as ExportRequest;
        for (const resourceSpans of body.resourceSpans ?? []) {
          const service = resourceSpans.resource?.attributes?.find((entry) => entry.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resourceSpans.scopeSpans ?? []) for (const span of scope.spans ?? []) received.push({ ...span, service });
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(COLLECTOR_PORT, '127.0.0.1', resolve));
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${COLLECTOR_PORT}`, OTEL_BSP_SCHEDULE_DELAY: '200' };
    await Promise.all(
      Object.entries(PORTS).map(([name, port]) => spawnBuiltService(name, port, { ...tracing, KAFKA_GROUP_ID: `${name}-tracing` })),
    );
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await disconnectTestProducer();
    await new Promise((resolve) => collector?.close(resolve));
  }, 30_000);

  it('links HTTP, Postgres and every Kafka hop of a refunded dispute under the caller’s trace', async () => {
    const intake = `http://127.0.0.1:${PORTS.intake}`;
    const customerId = `trace-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const paymentId = await recordPayment(customerId, `trace-m-${randomUUID()}`, 4_200);
    await waitFor(async () => (await request(intake, 'GET', `/v1/payments/${paymentId}`, { token: customer })).status === 200, 'intake knows the payment', 30_000);

    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const filed = await request(intake, 'POST', '/v1/disputes', {
      token: customer,
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: { paymentId, reason: 'unrecognized_charge', description: 'I never bought this', locale: 'en' },
    });
    expect(filed.status).toBe(201);
    const disputeId: string = filed.body.id;
    await waitFor(async () => (await request(intake, 'GET', `/v1/disputes/${disputeId}`, { token: customer })).body.status === 'refunded', 'the dispute to read refunded', 45_000);

    const processSpan = (spans: Received[], service: string, topic: string, type: string) =>
      spans.find((span) => span.service === service && span.kind === Kind.consumer && span.name === `process ${topic} ${type}`);
    // Spans leave each service in batches: wait until the last hops are in and every parent has arrived.
    const spans = await waitFor(() => {
      const inTrace = received.filter((span) => span.traceId === traceId);
      const ids = new Set(inTrace.map((span) => span.spanId));
      const linked = inTrace.every((span) => span.parentSpanId === callerSpanId || ids.has(span.parentSpanId ?? ''));
      const lastHops = processSpan(inTrace, 'intake', 'disputes.refund.v1', 'refund.succeeded') && processSpan(inTrace, 'notification', 'disputes.refund.v1', 'refund.succeeded');
      return linked && lastHops && inTrace;
    }, 'the dispute’s spans from all four services', 30_000);
    const byId = new Map(spans.map((span) => [span.spanId, span]));

    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['intake', 'investigation', 'refund', 'notification']));

    // The one root below the caller: intake's HTTP server span for the POST.
    const roots = spans.filter((span) => span.parentSpanId === callerSpanId);
    expect(roots.map((span) => [span.service, span.kind, attribute(span, 'http.method') ?? attribute(span, 'http.request.method')])).toEqual([['intake', Kind.server, 'POST']]);

    for (const service of Object.keys(PORTS)) {
      const queries = spans.filter((span) => span.service === service && (attribute(span, 'db.system') ?? attribute(span, 'db.system.name')) === 'postgresql');
      expect({ service, queries: queries.length > 0 }).toEqual({ service, queries: true });
    }
    // The dispute's row and its outbox event are written under the request's span.
    expect(spans.some((span) => span.service === 'intake' && span.parentSpanId === roots[0].spanId && /INSERT/i.test(attribute(span, 'db.statement') ?? attribute(span, 'db.query.text') ?? ''))).toBe(true);

    // Each hop: the consumer's span is a child of the producer's publish span on that topic.
    const hops: Array<[string, string, string, string]> = [
      ['intake', 'investigation', 'disputes.intake.v1', 'dispute.submitted'],
      ['investigation', 'refund', 'disputes.investigation.v1', 'case.decided'],
      ['refund', 'intake', 'disputes.refund.v1', 'refund.succeeded'],
      ['refund', 'notification', 'disputes.refund.v1', 'refund.succeeded'],
    ];
    for (const [producer, consumer, topic, type] of hops) {
      const processed = processSpan(spans, consumer, topic, type);
      const parent = byId.get(processed?.parentSpanId ?? '');
      expect({ hop: `${consumer} ${type}`, parent: parent && [parent.service, parent.kind, parent.name] }).toEqual({ hop: `${consumer} ${type}`, parent: [producer, Kind.producer, `publish ${topic}`] });
      expect(attribute(processed!, 'recourse.dispute.id')).toBe(disputeId);
    }
    // A publish span continues the span that appended its event, in the same service.
    for (const publish of spans.filter((span) => span.kind === Kind.producer)) {
      expect([publish.name, byId.get(publish.parentSpanId ?? '')?.service]).toEqual([publish.name, publish.service]);
    }
  }, 150_000);
});
