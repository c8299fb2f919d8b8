import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
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

/** Errors any authenticated route may answer. */
const COMMON = [CommonErrors.ValidationFailed, CommonErrors.Unauthorized, CommonErrors.Forbidden];

/** Documents the problems a route answers, grouped by status, with their stable codes. */
export function ApiProblems(...specs: ErrorSpec[]) {
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const spec of [...COMMON, ...specs]) byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), spec]);
  return applyDecorators(
    ApiExtraModels(ProblemDoc, FieldErrorDoc),
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.map((spec) => `\`${spec.code}\`: ${spec.title}`).join('; '),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } },
      }),
    ),
  );
}

/** CONTRACT §1: every creating POST accepts an Idempotency-Key. */
export function ApiIdempotencyKey() {
  return ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 characters, scoped to the caller, kept 24 h; a replay carries `Idempotent-Replayed: true`' });
}
