// The Idempotency-Key interceptor over real HTTP and a real Postgres: claims, owners, take-overs, crashes.
import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, INestApplication, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { addIdempotencyOwnerAndRetention, createPlatformTables } from '../database/database';
import { sql } from '../database/sql';
import { SERVICE_INFO } from '../messaging/service-info';
import { readWithClaim, requestTransaction, withClaimedKey } from './claimed-key';
import { ClaimKeyWithRead, IdempotencyInterceptor } from './idempotency';
import { CommonErrors, ProblemException } from './problem';
import { ProblemFilter } from './problem.filter';

const schema = `idem_${randomUUID().slice(0, 8)}`;
const dataSource = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test' });

/** A handler waits at its request's gate (the `x-gate` header: not part of the key's fingerprint) until the test opens it. */
const gates = new Map<string, { entered: boolean; open: () => void; opened: Promise<void> }>();
function gate(name: string) {
  if (!gates.has(name)) {
    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gates.set(name, { entered: false, open, opened });
  }
  return gates.get(name)!;
}
const runs = new Map<string, number>();
const ran = (what: string) => {
  runs.set(what, (runs.get(what) ?? 0) + 1);
  return runs.get(what)!;
};

@Controller('things')
class ThingsController {
  constructor(private readonly dataSource: DataSource) {}

  /** Answers after its gate opens, with how many times it ran for this body's `id`. */
  @Post('slow')
  @HttpCode(201)
  async slow(@Body() body: { id: string }, @Headers('x-gate') name: string) {
    gate(name).entered = true;
    await gate(name).opened;
    return { id: body.id, run: ran(body.id) };
  }

  /** Fails with a 5xx the first time for an `id`, then works. */
  @Post('flaky')
  @HttpCode(201)
  flaky(@Body() body: { id: string }) {
    if (ran(body.id) === 1) throw new Error('transient');
    return { id: body.id, run: runs.get(body.id) };
  }

  /**
   * Claims its key with its first read (the rows of `body.id`), then answers after its gate opens. `refuse`
   * fails before that read; `unread` writes without it.
   */
  @Post('read/:mode')
  @HttpCode(201)
  @ClaimKeyWithRead()
  async readFirst(@Param('mode') mode: string, @Body() body: { id: string }, @Headers('x-gate') name?: string) {
    if (mode === 'refuse') throw new ProblemException(CommonErrors.ValidationFailed, `refused: run ${ran(body.id)}`);
    if (mode === 'unread') return requestTransaction(this.dataSource, (manager) => manager.query(`INSERT INTO "${schema}".things (id) VALUES ($1)`, [`${body.id}-unread`]));
    const rows = await readWithClaim<{ id: string }>(this.dataSource, sql`SELECT id FROM ${sql.table(`${schema}.things`)} WHERE id LIKE ${`${body.id}-%`} ORDER BY id`);
    if (name) {
      gate(name).entered = true;
      await gate(name).opened;
    }
    return { id: body.id, read: rows, run: ran(body.id) };
  }

  /** Creates a row in the request's transaction (after its gate opens), then, when asked, dies before answering. */
  @Post(':mode')
  @HttpCode(201)
  async create(@Param('mode') mode: string, @Body() body: { id: string }, @Headers('x-gate') name?: string) {
    if (name) {
      gate(name).entered = true;
      await gate(name).opened;
    }
    const created = await requestTransaction(this.dataSource, async (manager) => {
      await manager.query(`INSERT INTO "${schema}".things (id) VALUES ($1)`, [`${body.id}-${ran(body.id)}`]);
      return { id: body.id, rows: Number((await manager.query(`SELECT count(*) FROM "${schema}".things WHERE id LIKE $1`, [`${body.id}-%`]))[0].count) };
    });
    if (mode === 'crash') throw new Error('the process died after the commit');
    return created;
  }
}

@Module({
  controllers: [ThingsController],
  providers: [
    { provide: DataSource, useValue: dataSource },
    { provide: SERVICE_INFO, useValue: { name: schema, consumes: [], groupId: schema } },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
class ThingsModule {}

describe('Idempotency-Key', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    await runner.query(`CREATE SCHEMA "${schema}"`);
    await createPlatformTables(runner, schema);
    await addIdempotencyOwnerAndRetention(runner, schema);
    await runner.query(`CREATE TABLE "${schema}".things (id text PRIMARY KEY)`);
    await runner.release();
    app = await NestFactory.create(ThingsModule, { logger: false });
    // What the auth guard does in a service: the caller's principal on the request.
    app.use((req: Request & { principal?: unknown }, _res: Response, next: NextFunction) => {
      req.principal = { sub: 'alice', roles: ['customer'] };
      next();
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  async function post(path: string, key: string, body: object, gateName?: string) {
    const headers = { 'content-type': 'application/json', 'idempotency-key': key, ...(gateName ? { 'x-gate': gateName } : {}) };
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: await response.json() };
  }
  const until = async (probe: () => boolean) => {
    for (let i = 0; i < 200 && !probe(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(probe()).toBe(true);
  };
  /** Makes the key's claim look abandoned: older than the 30 s take-over window. */
  const abandon = (key: string) => dataSource.query(`UPDATE "${schema}".idempotency_keys SET created_at = now() - interval '31 seconds' WHERE key = $1`, [key]);
  const things = async (id: string) => Number((await dataSource.query(`SELECT count(*) FROM "${schema}".things WHERE id LIKE $1`, [`${id}-%`]))[0].count);

  it('runs one of two concurrent same-key requests; the other is 409 in flight; a later retry replays', async () => {
    const key = randomUUID();
    const body = { id: randomUUID() };
    const slow = randomUUID();
    const first = post('/things/slow', key, body, slow);
    await until(() => gate(slow).entered);
    const second = await post('/things/slow', key, body, slow);
    expect([second.status, second.body.code]).toEqual([409, 'idempotency_key_in_flight']);
    gate(slow).open();
    expect(await first).toEqual({ status: 201, replayed: null, body: { id: body.id, run: 1 } });
    expect(await post('/things/slow', key, body, slow)).toEqual({ status: 201, replayed: 'true', body: { id: body.id, run: 1 } });
    expect(runs.get(body.id)).toBe(1);
  });

  it('releases the key after a 5xx, so the retry runs again', async () => {
    const key = randomUUID();
    const body = { id: randomUUID() };
    expect((await post('/things/flaky', key, body)).status).toBe(500);
    expect(await post('/things/flaky', key, body)).toEqual({ status: 201, replayed: null, body: { id: body.id, run: 2 } });
    expect(await post('/things/flaky', key, body)).toEqual({ status: 201, replayed: 'true', body: { id: body.id, run: 2 } });
  });

  it('replays the response a committed transaction stored, though the request died before answering', async () => {
    const key = randomUUID();
    const body = { id: randomUUID() };
    expect((await post('/things/crash', key, body)).status).toBe(500);
    // The retry creates no second row: the first one's response committed with its row, and stays.
    expect(await post('/things/crash', key, body)).toEqual({ status: 201, replayed: 'true', body: { id: body.id, rows: 1 } });
    expect(await things(body.id)).toBe(1);
  });

  it("keeps the new owner's response when the request that lost its claim to a take-over finishes late", async () => {
    const key = randomUUID();
    const body = { id: randomUUID() };
    const lateGate = randomUUID();
    const late = post('/things/slow', key, body, lateGate);
    await until(() => gate(lateGate).entered);
    await abandon(key);
    const ownerGate = randomUUID();
    gate(ownerGate).open();
    expect(await post('/things/slow', key, body, ownerGate)).toEqual({ status: 201, replayed: null, body: { id: body.id, run: 1 } });
    gate(lateGate).open();
    expect((await late).body).toEqual({ id: body.id, run: 2 });
    expect(await post('/things/slow', key, body)).toEqual({ status: 201, replayed: 'true', body: { id: body.id, run: 1 } });
  });

  it('rolls back the write of a request that outlived its claim', async () => {
    const key = randomUUID();
    const body = { id: randomUUID() };
    const lateGate = randomUUID();
    const late = post('/things/create', key, body, lateGate);
    await until(() => gate(lateGate).entered);
    await abandon(key);
    expect(await post('/things/create', key, body)).toEqual({ status: 201, replayed: null, body: { id: body.id, rows: 1 } });
    gate(lateGate).open();
    const refused = await late;
    expect([refused.status, refused.body.code]).toEqual([409, 'idempotency_key_in_flight']);
    expect(await things(body.id)).toBe(1);
    expect(await post('/things/create', key, body)).toEqual({ status: 201, replayed: 'true', body: { id: body.id, rows: 1 } });
  });

  it("bounds a request's transaction by its claim's deadline: a lock wait ends long before a take-over", async () => {
    await dataSource.query(`INSERT INTO "${schema}".things (id) VALUES ('locked')`);
    const holder = dataSource.createQueryRunner();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM "${schema}".things WHERE id = 'locked' FOR UPDATE`);
    try {
      const claimed = { table: `${schema}.idempotency_keys`, sub: 'alice', key: randomUUID(), owner: randomUUID(), status: 201, deadline: Date.now() + 500, completed: false };
      await dataSource.query(`INSERT INTO "${schema}".idempotency_keys (sub, key, fingerprint, owner) VALUES ('alice', $1, $2, $3)`, [claimed.key, '0'.repeat(64), claimed.owner]);
      const started = Date.now();
      const waiting = withClaimedKey(claimed, () => requestTransaction(dataSource, (manager) => manager.query(`UPDATE "${schema}".things SET id = id WHERE id = 'locked'`)));
      const error = await waiting.then(() => null, (failure: { driverError?: { code?: string } }) => failure);
      // lock_not_available or query_canceled (the statement timeout): whichever of the two equal bounds fires first.
      expect(['55P03', '57014']).toContain(error?.driverError?.code);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });

  describe('claimed with the first read (ClaimKeyWithRead)', () => {
    it('claims in the statement of the read, replays, refuses another body, and answers 409 to a concurrent duplicate', async () => {
      const key = randomUUID();
      const body = { id: randomUUID() };
      await dataSource.query(`INSERT INTO "${schema}".things (id) VALUES ($1), ($2)`, [`${body.id}-b`, `${body.id}-a`]);
      const spy = jest.spyOn(dataSource, 'query');
      const slow = randomUUID();
      const first = post('/things/read/ok', key, body, slow);
      await until(() => gate(slow).entered);
      // One statement claimed the key and read the rows before the handler went on.
      expect(spy.mock.calls.map(([sql]) => sql.trim().slice(0, 15))).toEqual(['WITH claim AS (']);
      const second = await post('/things/read/ok', key, body, slow);
      expect([second.status, second.body.code]).toEqual([409, 'idempotency_key_in_flight']);
      gate(slow).open();
      const answer = { id: body.id, read: [{ id: `${body.id}-a` }, { id: `${body.id}-b` }], run: 1 };
      expect(await first).toEqual({ status: 201, replayed: null, body: answer });
      spy.mockRestore();
      expect(await post('/things/read/ok', key, body, slow)).toEqual({ status: 201, replayed: 'true', body: answer });
      const reused = await post('/things/read/ok', key, { id: randomUUID() });
      expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
      // A read that finds nothing is an empty list, with its key claimed all the same.
      const none = { id: randomUUID() };
      const noneKey = randomUUID();
      expect(await post('/things/read/ok', noneKey, none)).toEqual({ status: 201, replayed: null, body: { id: none.id, read: [], run: 1 } });
      expect(await post('/things/read/ok', noneKey, none)).toEqual({ status: 201, replayed: 'true', body: { id: none.id, read: [], run: 1 } });
    });

    it('claims the key afterwards for a handler refused before its read, and keeps that answer', async () => {
      const key = randomUUID();
      const body = { id: randomUUID() };
      const refused = await post('/things/read/refuse', key, body);
      expect([refused.status, refused.body.detail]).toEqual([400, 'refused: run 1']);
      expect(await post('/things/read/refuse', key, body)).toEqual({ ...refused, replayed: 'true' });
      // A key another request holds answers first, as if claimed before the handler ran: the handler's
      // refusal is not stored over it.
      const held = randomUUID();
      const slow = randomUUID();
      const running = post('/things/read/ok', held, body, slow);
      await until(() => gate(slow).entered);
      const refusedWhileHeld = await post('/things/read/refuse', held, body);
      expect([refusedWhileHeld.status, refusedWhileHeld.body.code]).toEqual([422, 'idempotency_key_reused']);
      gate(slow).open();
      expect((await running).status).toBe(201);
    });

    it('refuses a write before the read claimed the key: a 500 that writes nothing and leaves the key free', async () => {
      const key = randomUUID();
      const body = { id: randomUUID() };
      expect((await post('/things/read/unread', key, body)).status).toBe(500);
      expect(await things(body.id)).toBe(0);
      expect(await dataSource.query(`SELECT 1 FROM "${schema}".idempotency_keys WHERE key = $1`, [key])).toEqual([]);
    });
  });

  it('claims again, never runs unclaimed, when the key vanishes between its INSERT and SELECT', async () => {
    const key = randomUUID();
    const body = { id: randomUUID() };
    // In flight for another request, which is released (a 5xx) just after this request's INSERT found it.
    await dataSource.query(`INSERT INTO "${schema}".idempotency_keys (sub, key, fingerprint, owner) VALUES ('alice', $1, $2, $3)`, [key, '0'.repeat(64), randomUUID()]);
    const query = dataSource.query.bind(dataSource);
    const spy = jest.spyOn(dataSource, 'query').mockImplementation((async (sql: string, parameters?: unknown[]) => {
      if (sql.startsWith('SELECT fingerprint')) {
        spy.mockRestore();
        await query(`DELETE FROM "${schema}".idempotency_keys WHERE key = $1`, [key]);
      }
      return query(sql, parameters);
    }) as never);
    const open = randomUUID();
    gate(open).open();
    expect(await post('/things/slow', key, body, open)).toEqual({ status: 201, replayed: null, body: { id: body.id, run: 1 } });
    // It held the key: its response is stored and replayed, the handler does not run twice.
    expect(await post('/things/slow', key, body, open)).toEqual({ status: 201, replayed: 'true', body: { id: body.id, run: 1 } });
  });
});
