import { createHash, randomUUID } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';
import { ClaimedKey, IdempotencyErrors, ResponseSecret, storedResponse, withClaimedKey } from './claimed-key';
import { updateWithJson } from './json-hash';
import { CommonErrors, ProblemException, ReplayedResponse } from './problem';
import { problemBody, PROBLEM_CONTENT_TYPE, toProblemException } from './problem.filter';

/** A claim left unfinished this long (its process died mid-request) may be taken over. */
const TAKE_OVER_AFTER_SECONDS = 30;
/**
 * A request's queries must end this long after its claim (statement and lock timeouts, see
 * requestTransaction), so a request is over well before its claim can be taken over.
 */
const REQUEST_BUDGET_MS = 20_000;
/** A claim that vanished between its INSERT and SELECT (released or purged meanwhile) is tried again. */
const CLAIM_ATTEMPTS = 3;

const RESPONSE_SECRET = 'recourse:response-secret';

/** The route's response carries a secret that its stored (replayable) copy must not keep. */
export const ResponseSecretOf = (secret: ResponseSecret) => SetMetadata(RESPONSE_SECRET, secret);

interface StoredKey {
  fingerprint: string;
  status_code: number | null;
  response: { body: unknown; contentType: string } | null;
}

/**
 * CONTRACT §1 idempotency, as at Stripe: a POST's `Idempotency-Key`, scoped to the caller's `sub` and kept
 * 24 h in Postgres (so every replica sees it). The same key and body replay the first response with
 * `Idempotent-Replayed: true`, 4xx included; another body is 422; a key whose first request is still
 * running is 409. A 5xx is not kept: the key is released so the client can retry a transient failure —
 * unless the request's business transaction already committed its response (requestTransaction), which
 * no later failure can undo. Every write is fenced by the claim's owner token.
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
    const fingerprint = updateWithJson(createHash('sha256').update(`${request.method} ${request.path}\n`), request.body ?? null).digest('hex');
    const secret = this.reflector.get<ResponseSecret | undefined>(RESPONSE_SECRET, context.getHandler());
    const claimed: ClaimedKey = {
      table: `"${this.service.name}".idempotency_keys`, sub, key, owner: randomUUID(), secret, completed: false,
      status: this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED,
      deadline: Date.now() + REQUEST_BUDGET_MS,
    };
    const existing = await this.claim(claimed, fingerprint);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw new ProblemException(IdempotencyErrors.KeyReused);
      if (existing.status_code === null || !existing.response) throw new ProblemException(IdempotencyErrors.KeyInFlight);
      const { body, contentType } = existing.response;
      const shown = secret && existing.status_code < 300 ? await secret.restore(this.dataSource.manager, body as object) : body;
      throw new ReplayedResponse(existing.status_code, shown, contentType);
    }
    // Nest binds the handler to the async context of handle(): the handler sees `claimed`.
    return withClaimedKey(claimed, () => next.handle()).pipe(
      mergeMap((body) => from((claimed.completed ? Promise.resolve() : this.complete(claimed, claimed.status, body, 'application/json')).then(() => body))),
      catchError((error: unknown) => {
        const problem = toProblemException(error);
        const settle = claimed.completed ? Promise.resolve()
          : problem.spec.status >= 500 ? this.release(claimed)
            : this.complete(claimed, problem.spec.status, problemBody(problem, request.originalUrl.split('?')[0]), PROBLEM_CONTENT_TYPE);
        return from(settle.then(() => Promise.reject(error)));
      }),
    );
  }

  /** Takes the key (fresh, expired or abandoned) for `claimed.owner`, or returns what it already holds. */
  private async claim(claimed: ClaimedKey, fingerprint: string): Promise<StoredKey | null> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const taken: unknown[] = await this.dataSource.query(
        `INSERT INTO ${claimed.table} AS k (sub, key, fingerprint, owner) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sub, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, owner = EXCLUDED.owner, created_at = now(), status_code = NULL, response = NULL
         WHERE k.created_at < now() - interval '24 hours' OR (k.status_code IS NULL AND k.created_at < now() - make_interval(secs => $5))
         RETURNING 1`,
        [claimed.sub, claimed.key, fingerprint, claimed.owner, TAKE_OVER_AFTER_SECONDS],
      );
      if (taken.length) return null;
      const [stored]: StoredKey[] = await this.dataSource.query(`SELECT fingerprint, status_code, response FROM ${claimed.table} WHERE sub = $1 AND key = $2`, [claimed.sub, claimed.key]);
      if (stored) return stored;
    }
    throw new ProblemException(IdempotencyErrors.KeyInFlight);
  }

  /** Stores the response under this request's own claim only, and never over one already stored. */
  private async complete(claimed: ClaimedKey, status: number, body: unknown, contentType: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${claimed.table} SET status_code = $4, response = $5 WHERE sub = $1 AND key = $2 AND owner = $3 AND status_code IS NULL`,
      [claimed.sub, claimed.key, claimed.owner, status, storedResponse(claimed, body, contentType)],
    );
  }

  /** Frees this request's own claim, unless a response (a committed write's) is stored under it. */
  private async release(claimed: ClaimedKey): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${claimed.table} WHERE sub = $1 AND key = $2 AND owner = $3 AND status_code IS NULL`, [claimed.sub, claimed.key, claimed.owner]);
  }
}
