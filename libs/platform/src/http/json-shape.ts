import type { NextFunction, Request, Response } from 'express';
import { CommonErrors, FieldError, ProblemException } from './problem';
import { problemBody, PROBLEM_CONTENT_TYPE } from './problem.filter';

/** No contract body nests deeper than this; deeper JSON is an attack on the validators' recursion. */
export const MAX_JSON_DEPTH = 16;

/** Keys that reach an object's prototype when copied: refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Postgres text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate (`"\udfff"`, which
 * JSON.stringify writes for one): both are refused at the edge rather than failing a query with a 500.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
const unstorableProblem = (field: string): FieldError => ({ field, code: 'invalid_character', message: 'text may not contain U+0000 or a lone surrogate' });

/** The first problem with a parsed body's shape, or null. Iterative, so depth cannot overflow the stack. */
export function findShapeProblem(body: unknown): FieldError | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string' && unstorable(value)) return unstorableProblem(path || '(body)');
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return { field: path || '(body)', code: 'too_deep', message: `JSON may nest at most ${MAX_JSON_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return { field, code: 'forbidden_key', message: `${key} is not allowed in a request body` };
      if (unstorable(key)) return unstorableProblem(field);
      stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Runs after the JSON body parser: a body with a forbidden key, absurd depth or a NUL, or a URL whose path
 * parameters or query would decode to a NUL (`%00`), is a 400 before any code sees it.
 */
export function rejectDangerousJson(request: Request, response: Response, next: NextFunction): void {
  const problem = /%00/.test(request.originalUrl ?? request.url) ? unstorableProblem('(url)') : findShapeProblem(request.body);
  if (!problem) return next();
  const exception = new ProblemException(CommonErrors.ValidationFailed, problem.message, [problem]);
  response.status(400).type(PROBLEM_CONTENT_TYPE).json(problemBody(exception, request.path));
}
