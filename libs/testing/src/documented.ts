// The OpenAPI documents must tell the truth: every answer a suite sees from a documented route is checked
// against the document of the service that gave it (libs/client/openapi/<service>.json), status and body, at the
// moment it arrives, so the calling test fails where the undocumented answer happened. With RECORD_RESPONSES=1
// each answer is also appended to .run/responses/<service>.jsonl.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './env';
import { describeViolations, ResponseDocument, ResponseSchemas } from './response-schemas';

const SERVICES = ['intake', 'investigation', 'refund', 'notification'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  service: string;
  method: string;
  template: string;
  pattern: RegExp;
  statuses: string[];
}

let operations: Operation[] | undefined;
const bodySchemas = new Map<string, ResponseSchemas>();

/** Every operation of the four documents; literal paths first, so `/v1/ledger/verify` is not taken for a parameter. */
function documentedOperations(): Operation[] {
  operations ??= SERVICES.flatMap((service) => {
    const document: ResponseDocument = JSON.parse(readFileSync(join(workspaceRoot, 'libs/client/openapi', `${service}.json`), 'utf8'));
    bodySchemas.set(service, new ResponseSchemas(service, document));
    return Object.entries(document.paths).flatMap(([template, byMethod]) =>
      METHODS.filter((method) => byMethod[method]).map((method) => ({
        service, method: method.toUpperCase(), template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        statuses: Object.keys(byMethod[method]?.responses ?? {}),
      })),
    );
  }).sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  return operations;
}

/** The documented operation a request reached; none for routes outside the documents (health, metrics, unknown paths). */
export function documentedOperation(method: string, url: string): Operation | undefined {
  // The path as sent, not normalised (a fuzzed `..` reaches the server as it is).
  const path = url.replace(/^https?:\/\/[^/]+/, '').split(/[?#]/)[0];
  return documentedOperations().find((operation) => operation.method === method.toUpperCase() && operation.pattern.test(path));
}

export interface SeenResponse {
  method: string;
  url: string;
  status: number;
  body: unknown;
}

/** Throws when a documented route answered a status its document does not list, or a body its schema for that status refuses. */
export function checkDocumented(seen: SeenResponse): void {
  const operation = documentedOperation(seen.method, seen.url);
  if (!operation) return;
  if (process.env.RECORD_RESPONSES === '1') {
    const dir = join(workspaceRoot, '.run', 'responses');
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, `${operation.service}.jsonl`), `${JSON.stringify({ operation: `${operation.method} ${operation.template}`, ...seen })}\n`);
  }
  if (!operation.statuses.includes(String(seen.status))) {
    throw new Error(
      `${operation.service}'s OpenAPI document lists ${operation.statuses.join(', ')} for ${operation.method} ${operation.template}, `
      + `but ${seen.method} ${seen.url} answered ${seen.status} ${JSON.stringify(seen.body)?.slice(0, 300)}`,
    );
  }
  const violations = bodySchemas.get(operation.service)?.violations(operation.method, operation.template, seen.status, seen.body) ?? [];
  if (violations.length > 0) {
    throw new Error(
      `${operation.service}'s OpenAPI document refuses the ${seen.status} body ${seen.method} ${seen.url} answered `
      + `(${operation.method} ${operation.template}): ${describeViolations(violations)}; body ${JSON.stringify(seen.body)?.slice(0, 500)}`,
    );
  }
}

/** A fetch for @recourse/client that checks each answer against its document (the body is read from a clone). */
export const documentedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  const text = await response.clone().text();
  checkDocumented({ method: request.method, url: request.url, status: response.status, body: parseBody(text) });
  return response;
};

/** JSON, or the text itself when it is not JSON. */
export function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
