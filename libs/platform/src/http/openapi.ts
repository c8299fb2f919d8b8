import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, OpenAPIObject } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IdempotencyErrors } from './claimed-key';
import { CommonErrors, ErrorSpec } from './problem';

export class FieldErrorDoc {
  @ApiProperty() field: string;
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

/** RFC 9457 problem document, as every error is rendered. */
export class ProblemDoc {
  @ApiProperty() type: string;
  @ApiProperty() title: string;
  @ApiProperty() status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ description: 'stable machine code' }) code: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc] }) errors?: FieldErrorDoc[];
}

/** Problems every route may answer, whatever it does: the platform's guards, pipes and middleware raise them. */
const EVERY_ROUTE = [CommonErrors.ValidationFailed, CommonErrors.Unauthorized, CommonErrors.Forbidden, CommonErrors.Overloaded];
/** And every write: the body checks, the rate limit, and the Idempotency-Key any POST may carry. */
const EVERY_WRITE = [CommonErrors.MalformedJson, CommonErrors.PayloadTooLarge, CommonErrors.UnsupportedMediaType, CommonErrors.RateLimited];
const EVERY_POST = [IdempotencyErrors.KeyInFlight, IdempotencyErrors.KeyReused];

const describe = (specs: ErrorSpec[]) => specs.map((spec) => `\`${spec.code}\`: ${spec.title}`).join('; ');
const problemContent = () => ({ 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } });

function byStatus(specs: ErrorSpec[]): Map<number, ErrorSpec[]> {
  const groups = new Map<number, ErrorSpec[]>();
  for (const spec of specs) groups.set(spec.status, [...(groups.get(spec.status) ?? []), spec]);
  return groups;
}

/** Documents the problems a route's own code answers, grouped by status, with their stable codes. */
export function ApiProblems(...specs: ErrorSpec[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDoc, FieldErrorDoc),
    ...[...byStatus(specs)].map(([status, group]) => ApiResponse({ status, description: describe(group), content: problemContent() })),
  );
}

/**
 * Adds to every operation of the document the problems the platform answers for any route (EVERY_ROUTE,
 * EVERY_WRITE, EVERY_POST), next to the route's own: no route can forget them, and a status the route
 * documents already gets the shared codes added to its description.
 */
export function withSharedProblems(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const model of [ProblemDoc, FieldErrorDoc]) if (!schemas[model.name]) throw new Error(`${model.name} is not in the document: add @ApiProblems to a route`);
  for (const operations of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = operations[method];
      if (!operation) continue;
      const shared = [...EVERY_ROUTE, ...(method === 'get' ? [] : EVERY_WRITE), ...(method === 'post' ? EVERY_POST : [])];
      for (const [status, group] of byStatus(shared)) {
        const documented = operation.responses[status] as ResponseObject | undefined;
        const missing = group.filter((spec) => !documented?.description.includes(`\`${spec.code}\``));
        if (missing.length === 0) continue;
        operation.responses[status] = documented
          ? { ...documented, description: `${documented.description}; ${describe(missing)}` }
          : { description: describe(missing), content: problemContent() };
      }
    }
  }
  return document;
}

/** CONTRACT §1: every creating POST accepts an Idempotency-Key. */
export function ApiIdempotencyKey() {
  return ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 characters, scoped to the caller, kept 24 h; a replay carries `Idempotent-Replayed: true`' });
}
