// The image's HEALTHCHECK: exits 0 when the service this container runs (SERVICE) answers /health/ready,
// 1 otherwise. Ready, not just live: Compose's `service_healthy` should mean Postgres and Kafka are reachable
// and the consumers have joined. Node's own fetch, since the slim base image has no curl or wget.
const DEFAULT_PORTS = { intake: 3001, investigation: 3002, refund: 3003, notification: 3004 };

const service = process.env.SERVICE ?? '';
const port = process.env[`${service.toUpperCase()}_PORT`] || DEFAULT_PORTS[service];
if (!port) {
  process.stderr.write(`healthcheck: unknown SERVICE "${service}"\n`);
  process.exit(1);
}

try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
