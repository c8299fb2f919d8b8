import { createHash, randomUUID } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';
import { rows, sql } from '../database/sql';
import { claimKey, ClaimedKey, ResponseSecret, storeResponse, withClaimedKey } from './claimed-key';
import { CommonErrors, ProblemException } from './problem';
import { updateWithJson } from './json-hash';
import { problemBody, PROBLEM_CONTENT_TYPE, toProblemException } from './problem.filter';

/**
 * A request's queries must end this long after its claim (statement and lock timeouts, see
 * requestTransaction), so a request is over well before its claim can be taken over (after 30 s).
 */
const REQUEST_BUDGET_MS = 20_000;

const RESPONSE_SECRET = 'recourse:response-secret';
const CLAIM_WITH_READ = 'recourse:claim-with-read';

/** The route's response carries a secret that its stored (replayable) copy must not keep. */
export const ResponseSecretOf = (secret: ResponseSecret) => SetMetadata(RESPONSE_SECRET, secret);

/**
 * The route's handler claims its Idempotency-Key in the statement of its first read (readWithClaim), which
 * saves the claim's own round trip on a hot path; it must make that read before it writes anything. A
 * handler that fails or answers before that read has its key claimed afterwards, as if claimed first.
 */
export const ClaimKeyWithRead = () => SetMetadata(CLAIM_WITH_READ, true);

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
      table: `${this.service.name}.idempotency_keys`, sub, key, owner: randomUUID(), secret, completed: false, fingerprint, claim: 'pending',
      status: this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED,
      deadline: Date.now() + REQUEST_BUDGET_MS,
    };
    // Throws the key's answer when another request has it.
    if (!this.reflector.get<boolean>(CLAIM_WITH_READ, context.getHandler())) await claimKey(this.dataSource, claimed);
    // Nest binds the handler to the async context of handle(): the handler sees `claimed`.
    return withClaimedKey(claimed, () => next.handle()).pipe(
      mergeMap((body) => from(this.answered(claimed, body))),
      catchError((error: unknown) => from(this.failed(claimed, error, request.originalUrl.split('?')[0]))),
    );
  }

  private async answered(claimed: ClaimedKey, body: unknown): Promise<unknown> {
    if (claimed.claim === 'pending') await claimKey(this.dataSource, claimed);
    if (!claimed.completed) await this.complete(claimed, claimed.status, body, 'application/json');
    return body;
  }

  private async failed(claimed: ClaimedKey, error: unknown, path: string): Promise<never> {
    // The handler's read found the key another request's: `error` is that request's answer, nothing to settle.
    if (claimed.claim === 'refused') throw error;
    // It failed before its read claimed the key: the key's answer, if another request has it, comes first.
    if (claimed.claim === 'pending') await claimKey(this.dataSource, claimed);
    if (!claimed.completed) {
      const problem = toProblemException(error);
      if (problem.spec.status >= 500) await this.release(claimed);
      else await this.complete(claimed, problem.spec.status, problemBody(problem, path), PROBLEM_CONTENT_TYPE);
    }
    throw error;
  }

  /** Stores the response under this request's own claim only, and never over one already stored. */
  private async complete(claimed: ClaimedKey, status: number, body: unknown, contentType: string): Promise<void> {
    await rows(this.dataSource, storeResponse(claimed, body, status, contentType));
  }

  /** Frees this request's own claim, unless a response (a committed write's) is stored under it. */
  private async release(claimed: ClaimedKey): Promise<void> {
    await rows(this.dataSource, sql`DELETE FROM ${sql.table(claimed.table)} WHERE sub = ${claimed.sub} AND key = ${claimed.key} AND owner = ${claimed.owner} AND status_code IS NULL`);
  }
}
