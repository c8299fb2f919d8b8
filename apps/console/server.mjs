// Serves the built pages (dist/apps/console: the staff console at /, the customer's dispute page at /customer/)
// and proxies /api/<service>/… to the four services, so
// the browser talks to one origin and needs no CORS. node:http only; it holds no secrets: the bearer
// token a person pasted passes through to the service that verifies it.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json', '.json': 'application/json',
};

const SECURITY_HEADERS = {
  // Scripts and styles only from this origin; API calls only to it; no framing, no plugins.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

// Request headers forwarded to a service: what the APIs read, nothing the browser adds about itself.
const FORWARDED = ['authorization', 'content-type', 'content-length', 'accept', 'accept-language', 'idempotency-key'];

/** The upstream URL of each proxied service, from the environment (defaults: npm start's ports). */
export function upstreams(env = process.env) {
  return {
    intake: env.INTAKE_URL ?? `http://127.0.0.1:${env.INTAKE_PORT ?? 3001}`,
    investigation: env.INVESTIGATION_URL ?? `http://127.0.0.1:${env.INVESTIGATION_PORT ?? 3002}`,
    refund: env.REFUND_URL ?? `http://127.0.0.1:${env.REFUND_PORT ?? 3003}`,
    notification: env.NOTIFICATION_URL ?? `http://127.0.0.1:${env.NOTIFICATION_PORT ?? 3004}`,
  };
}

export function createConsoleServer({ staticDir = join(root, 'dist', 'apps', 'console'), services = upstreams() } = {}) {
  return createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://console');
    // Like the services: live while it answers, ready once there is a built page to serve.
    if (url.pathname === '/health/live') return health(res, true);
    if (url.pathname === '/health/ready') return health(res, existsSync(join(staticDir, 'index.html')));
    const api = /^\/api\/(intake|investigation|refund|notification)(\/v1\/.*)$/.exec(url.pathname);
    if (api) return proxy(req, res, services[api[1]], api[2] + url.search);
    if (url.pathname.startsWith('/api/')) return problem(res, 404, 'not_found', 'No such API');
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'method_not_allowed', 'Only GET serves the console');
    return serveStatic(res, staticDir, url.pathname);
  });
}

function proxy(req, res, base, path) {
  const target = new URL(path, base);
  const headers = Object.fromEntries(FORWARDED.filter((name) => req.headers[name] !== undefined).map((name) => [name, req.headers[name]]));
  const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
    const passed = { ...answer.headers };
    // The console's own policy governs the page; a service's would only confuse the browser.
    delete passed['content-security-policy'];
    delete passed['connection'];
    delete passed['keep-alive'];
    res.writeHead(answer.statusCode ?? 502, { ...passed, 'cache-control': 'no-store' });
    answer.pipe(res);
  });
  upstream.setTimeout(30_000, () => upstream.destroy(new Error('upstream timed out')));
  upstream.on('error', () => {
    if (!res.headersSent) problem(res, 502, 'service_unavailable', `${target.host} did not answer`);
    else res.destroy();
  });
  req.pipe(upstream);
}

function serveStatic(res, staticDir, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return problem(res, 400, 'bad_path', 'Malformed path');
  }
  const requested = normalize(join(staticDir, decoded));
  const inside = requested.startsWith(staticDir + sep);
  // Each page answers its own client-side routes: /customer… is the customer's dispute page, the rest the console.
  const page = decoded === '/customer' || decoded.startsWith('/customer/') ? join(staticDir, 'customer', 'index.html') : join(staticDir, 'index.html');
  const file = inside && existsSync(requested) && statSync(requested).isFile() ? requested : page;
  if (!existsSync(file)) return problem(res, 503, 'console_not_built', 'Run the console build first (npx nx run console:build)');
  const hashed = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    // Vite names assets by content hash, so they never change; index.html must always be fetched anew.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(res);
}

function health(res, ok) {
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'not_built' }));
}

function problem(res, status, code, title) {
  res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title, status, code }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.CONSOLE_PORT ?? 3000);
  createConsoleServer().listen(port, process.env.CONSOLE_HOST ?? '127.0.0.1', () => {
    process.stdout.write(`console on http://127.0.0.1:${port}\n`);
  });
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
