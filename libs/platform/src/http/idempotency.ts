import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';
import { CommonErrors, ErrorSpec, ProblemException, ReplayedResponse } from './problem';
import { problemBody, PROBLEM_CONTENT_TYPE, toProblemException } from './problem.filter';

export const IdempotencyErrors = {
  KeyReused: { code: 'idempotency_key_reused', status: 422, title: 'This Idempotency-Key was used with another request' },
  KeyInFlight: { code: 'idempotency_key_in_flight', status: 409, title: 'A request with this Idempotency-Key is still running' },
} as const satisfies Record<string, ErrorSpec>;

/** A claim left unfinished this long (its process died mid-request) may be taken over. */
const ABANDONED_AFTER = '30 seconds';

/** The key a request claimed, while its handler runs; `completed` once its response is stored. */
export interface ClaimedKey {
  sub: string;
  key: string;
  status: number;
  completed: boolean;
}

const claimedKeys = new AsyncLocalStorage<ClaimedKey>();

/** Runs `work` as the handler of a request that claimed `claimed` (the interceptor does; tests may). */
export function withClaimedKey<T>(claimed: ClaimedKey, work: () => T): T {
  return claimedKeys.run(claimed, work);
}

/**
 * For a hot path that writes in one statement: the UPDATE that stores `body` as the response of the
 * request's Idempotency-Key, to add to that statement as a CTE (`done AS (…)`), so the write and its
 * replayable response commit together and a crash in between cannot leave the key in flight. Parameters
 * are numbered from `firstParam`; call `stored()` once the statement succeeded. Null without a key.
 */
export function idempotentResponse(schema: string, body: unknown, firstParam: number): { sql: string; values: unknown[]; stored(): void } | null {
  const claimed = claimedKeys.getStore();
  if (!claimed) return null;
  const p = firstParam;
  return {
    sql: `UPDATE "${schema}".idempotency_keys SET status_code = $${p}, response = $${p + 1} WHERE sub = $${p + 2} AND key = $${p + 3}`,
    values: [claimed.status, storedResponse(body, 'application/json'), claimed.sub, claimed.key],
    stored: () => (claimed.completed = true),
  };
}

function storedResponse(body: unknown, contentType: string): string {
  return JSON.stringify({ body: body ?? null, contentType });
}

interface StoredKey {
  fingerprint: string;
  status_code: number | null;
  response: { body: unknown; contentType: string } | null;
}

/**
 * CONTRACT §1 idempotency, as at Stripe: a POST's `Idempotency-Key`, scoped to the caller's `sub` and kept
 * 24 h in Postgres (so every replica sees it). The same key and body replay the first response with
 * `Idempotent-Replayed: true`, 4xx included; another body is 422; a key whose first request is still
 * running is 409. A 5xx is not kept: the key is released so the client can retry a transient failure.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw new ProblemException(CommonErrors.ValidationFailed, 'Idempotency-Key must be 1–255 characters', [
        { field: 'Idempotency-Key', code: 'invalid_length', message: 'Idempotency-Key must be 1–255 characters' },
      ]);
    }
    const sub = request.principal.sub;
    const fingerprint = createHash('sha256').update(`${request.method} ${request.path}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const existing = await this.claim(sub, key, fingerprint);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw new ProblemException(IdempotencyErrors.KeyReused);
      if (existing.status_code === null || !existing.response) throw new ProblemException(IdempotencyErrors.KeyInFlight);
      throw new ReplayedResponse(existing.status_code, existing.response.body, existing.response.contentType);
    }
    const successStatus = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const claimed: ClaimedKey = { sub, key, status: successStatus, completed: false };
    // Nest binds the handler to the async context of handle(): the handler sees `claimed`.
    return withClaimedKey(claimed, () => next.handle()).pipe(
      mergeMap((body) => from((claimed.completed ? Promise.resolve() : this.complete(sub, key, successStatus, body, 'application/json')).then(() => body))),
      catchError((error: unknown) => {
        const problem = toProblemException(error);
        const settle = problem.spec.status >= 500
          ? this.release(sub, key)
          : this.complete(sub, key, problem.spec.status, problemBody(problem, request.originalUrl.split('?')[0]), PROBLEM_CONTENT_TYPE);
        return from(settle.then(() => Promise.reject(error)));
      }),
    );
  }

  /** Takes the key (fresh, expired or abandoned), or returns what it already holds. */
  private async claim(sub: string, key: string, fingerprint: string): Promise<StoredKey | null> {
    const table = `"${this.service.name}".idempotency_keys`;
    const taken: unknown[] = await this.dataSource.query(
      `INSERT INTO ${table} AS k (sub, key, fingerprint) VALUES ($1, $2, $3)
       ON CONFLICT (sub, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now(), status_code = NULL, response = NULL
       WHERE k.created_at < now() - interval '24 hours' OR (k.status_code IS NULL AND k.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING 1`,
      [sub, key, fingerprint],
    );
    if (taken.length) return null;
    const [stored]: StoredKey[] = await this.dataSource.query(`SELECT fingerprint, status_code, response FROM ${table} WHERE sub = $1 AND key = $2`, [sub, key]);
    return stored ?? null;
  }

  private async complete(sub: string, key: string, status: number, body: unknown, contentType: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${this.service.name}".idempotency_keys SET status_code = $3, response = $4 WHERE sub = $1 AND key = $2`,
      [sub, key, status, storedResponse(body, contentType)],
    );
  }

  private async release(sub: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM "${this.service.name}".idempotency_keys WHERE sub = $1 AND key = $2`, [sub, key]);
  }
}
