import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { buildConnector } from 'undici';
import { UrlPolicy } from '../endpoints/webhook-url.rules';
import { webhookDispatcher } from './webhook-dispatcher.client';
import { drain, RESPONSE_BODY_LIMIT, sendWebhook } from './webhook-sender.client';

const local = { allowInsecure: true, allowPrivate: true };
/** Production's address rule, over plain http so local servers can stand in for public hosts. */
const refusing = { allowInsecure: true, allowPrivate: false };
const secrets = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'];

describe('one webhook attempt', () => {
  let server: Server;
  let url: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      if (request.url === '/redirect') return void response.writeHead(307, { location: '/elsewhere' }).end();
      if (request.url === '/hang') return;
      if (request.url === '/flood') {
        response.writeHead(200);
        // Streams forever unless the sender stops reading.
        const timer = setInterval(() => response.write(Buffer.alloc(16 * 1024, 'x')), 1);
        response.once('close', () => clearInterval(timer));
        return;
      }
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const localDispatcher = webhookDispatcher({ policy: local, dnsTimeoutMs: 1_000 });
  afterAll(() => localDispatcher.destroy());
  const options = (timeoutMs = 2_000, stop = new AbortController().signal) => ({ timeoutMs, stop, policy: local, dispatcher: localDispatcher });
  const send = (path: string, timeoutMs?: number, stop?: AbortSignal) =>
    sendWebhook({ url: `${url}${path}`, webhookId: 'msg_1', body: '{}', secrets }, options(timeoutMs, stop));

  it('does not follow a redirect', async () => {
    expect(await send('/redirect')).toEqual({ result: 'failed', responseStatus: 307, error: 'redirect_not_followed' });
    expect(hits).not.toContain('/elsewhere');
  });

  it('takes a 2xx as success, however long the body it streams', async () => {
    expect(await send('/flood')).toEqual({ result: 'succeeded', responseStatus: 200, error: null });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    expect(await send('/hang', 200)).toEqual({ result: 'failed', responseStatus: null, error: 'timeout' });
  });

  it('does not count an attempt cut short by shutdown', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    expect(await send('/hang', 5_000, stop.signal)).toEqual({ result: 'aborted', responseStatus: null, error: null });
  });

  it('refuses a URL the policy forbids without sending', async () => {
    const before = hits.length;
    const outcome = await sendWebhook({ url: `${url}/ok`, webhookId: 'msg_1', body: '{}', secrets }, { ...options(), policy: { allowInsecure: false, allowPrivate: false } });
    expect(outcome).toEqual({ result: 'failed', responseStatus: null, error: 'url_refused' });
    expect(hits).toHaveLength(before);
  });

  it('reads at most about the limit of a body', async () => {
    const endless = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1024)) });
    expect(await drain(endless, RESPONSE_BODY_LIMIT)).toBe(RESPONSE_BODY_LIMIT + 1024);
    expect(await drain(null, RESPONSE_BODY_LIMIT)).toBe(0);
  });

  it('shows a merchant no errno or port when a connection fails', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await sendWebhook({ url: `http://127.0.0.1:${port}/in`, webhookId: 'msg_1', body: '{}', secrets }, options());
    expect(outcome).toEqual({ result: 'failed', responseStatus: null, error: 'connection_failed' });
  });
});

describe('where a webhook connects when private addresses are refused', () => {
  /** An internal service a merchant must not reach (127.0.0.1, as `localhost` resolves for the system). */
  let internal: Server;
  /** Stands in for the public host the merchant registered: the test's socket connector leads there. */
  let publicHost: Server;
  const internalHits: string[] = [];
  const publicHits: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    internal = createServer((request, response) => {
      internalHits.push(request.url ?? '');
      response.writeHead(204).end();
    });
    // Closes each connection after answering, so every send opens (and resolves) a new one.
    publicHost = createServer((request, response) => {
      publicHits.push(request.headers);
      response.writeHead(204, { connection: 'close' }).end();
    });
    for (const server of [internal, publicHost]) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const server of [internal, publicHost]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  const realConnect = buildConnector({});
  /** Records where the dispatcher connects; 93.184.215.14 (public) is served by `publicHost`, the rest for real. */
  function recordingConnector(targets: buildConnector.Options[]): buildConnector.connector {
    return (target, callback) => {
      targets.push(target);
      const hostname = target.hostname === '93.184.215.14' ? '127.0.0.1' : target.hostname;
      const port = target.hostname === '93.184.215.14' ? String(portOf(publicHost)) : target.port;
      realConnect({ ...target, hostname, port }, callback);
    };
  }
  function sendTo(url: string, policy: UrlPolicy, dispatcher: ReturnType<typeof webhookDispatcher>, timeoutMs = 2_000) {
    return sendWebhook({ url, webhookId: 'msg_1', body: '{}', secrets }, { timeoutMs, stop: new AbortController().signal, policy, dispatcher });
  }

  it('resolves once per connection and connects to the address it checked: a rebinding name cannot lead inside', async () => {
    // DNS rebinding: the name answers a public address, then 127.0.0.1.
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    const resolve = jest.fn(async () => answers.shift() ?? ['127.0.0.1']);
    const targets: buildConnector.Options[] = [];
    const dispatcher = webhookDispatcher({ policy: refusing, dnsTimeoutMs: 1_000, resolve, connectSocket: recordingConnector(targets) });
    // `localhost` is 127.0.0.1 to the system resolver: a second, unchecked lookup would reach `internal`.
    const url = `http://localhost:${portOf(internal)}/hook`;
    const hitsBefore = publicHits.length;
    try {
      expect(await sendTo(url, refusing, dispatcher)).toEqual({ result: 'succeeded', responseStatus: 204, error: null });
      expect(await sendTo(url, refusing, dispatcher)).toEqual({ result: 'failed', responseStatus: null, error: 'private_address' });
    } finally {
      await dispatcher.destroy();
    }
    expect(internalHits).toEqual([]);
    expect(resolve).toHaveBeenCalledTimes(2);
    // One socket, to the checked public address; none after the loopback answer.
    expect(targets.map((target) => [target.hostname, target.host])).toEqual([['93.184.215.14', `localhost:${portOf(internal)}`]]);
    // The request still names the URL's host.
    expect(publicHits.slice(hitsBefore).map((headers) => headers.host)).toEqual([`localhost:${portOf(internal)}`]);
  });

  it('keeps the URL host for TLS (SNI and certificate) while connecting to the checked address', async () => {
    const targets: buildConnector.Options[] = [];
    const connectSocket: buildConnector.connector = (target, callback) => {
      targets.push(target);
      callback(Object.assign(new Error('connect ECONNREFUSED 93.184.215.14:8443'), { code: 'ECONNREFUSED' }), null);
    };
    const dispatcher = webhookDispatcher({ policy: refusing, dnsTimeoutMs: 1_000, resolve: async () => ['93.184.215.14'], connectSocket });
    try {
      expect(await sendTo('https://hooks.example.com:8443/in', refusing, dispatcher)).toEqual({ result: 'failed', responseStatus: null, error: 'connection_failed' });
    } finally {
      await dispatcher.destroy();
    }
    // undici's connector takes SNI from `host` when no servername is given.
    expect(targets).toEqual([expect.objectContaining({ hostname: '93.184.215.14', host: 'hooks.example.com:8443', protocol: 'https:' })]);
    expect(targets[0].servername).toBeFalsy();
  });

  it.each([
    ['a private answer among public ones', ['93.184.215.14', '10.0.0.5']],
    ['an IPv4-mapped loopback', ['::ffff:7f00:1']],
    ['an IPv4-compatible address', ['::a00:5']],
    ['a local-use NAT64 address', ['64:ff9b:1::a00:5']],
  ])('refuses %s without connecting', async (_, addresses) => {
    const targets: buildConnector.Options[] = [];
    const dispatcher = webhookDispatcher({ policy: refusing, dnsTimeoutMs: 1_000, resolve: async () => addresses, connectSocket: recordingConnector(targets) });
    try {
      expect(await sendTo('http://hooks.example.com/in', refusing, dispatcher)).toEqual({ result: 'failed', responseStatus: null, error: 'private_address' });
    } finally {
      await dispatcher.destroy();
    }
    expect(targets).toEqual([]);
  });

  it('refuses an address literal in the URL itself', async () => {
    const targets: buildConnector.Options[] = [];
    const dispatcher = webhookDispatcher({ policy: refusing, dnsTimeoutMs: 1_000, connectSocket: recordingConnector(targets) });
    try {
      expect(await sendTo(`http://127.0.0.1:${portOf(internal)}/in`, refusing, dispatcher)).toMatchObject({ error: 'private_address' });
      expect(await sendTo(`http://[::ffff:127.0.0.1]:${portOf(internal)}/in`, refusing, dispatcher)).toMatchObject({ error: 'private_address' });
    } finally {
      await dispatcher.destroy();
    }
    expect(targets).toEqual([]);
    expect(internalHits).toEqual([]);
  });

  it('gives up on a name server that does not answer within the DNS budget, well inside the send timeout', async () => {
    const targets: buildConnector.Options[] = [];
    const silent = () => new Promise<string[]>(() => undefined);
    const dispatcher = webhookDispatcher({ policy: refusing, dnsTimeoutMs: 200, resolve: silent, connectSocket: recordingConnector(targets) });
    const started = Date.now();
    try {
      expect(await sendTo('http://hooks.example.com/in', refusing, dispatcher, 5_000)).toEqual({ result: 'failed', responseStatus: null, error: 'dns_failed' });
    } finally {
      await dispatcher.destroy();
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(targets).toEqual([]);
  });

  it('says dns_failed for a name that does not resolve', async () => {
    const dispatcher = webhookDispatcher({ policy: refusing, dnsTimeoutMs: 1_000, resolve: async () => [] });
    try {
      expect(await sendTo('http://nowhere.invalid/in', refusing, dispatcher)).toMatchObject({ error: 'dns_failed' });
    } finally {
      await dispatcher.destroy();
    }
  });
});
