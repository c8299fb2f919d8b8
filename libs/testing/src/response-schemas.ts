// The response bodies an OpenAPI document promises, as validators (ajv). The documents are OpenAPI 3.0 from
// @nestjs/swagger: schemas refer to `#/components/schemas/…` and mark optional nulls with `nullable: true`, which
// JSON Schema does not know. Each service's components are registered once under the service's name; each
// (operation, status) validator is compiled the first time an answer needs it.
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/** The JSON content types a documented answer may have; other content (images, PDFs) is not validated. */
const JSON_TYPES = ['application/json', 'application/problem+json'];

export interface ResponseDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

export class ResponseSchemas {
  // Unknown keywords (`example`) are annotations, and formats (`binary`) are not checked: the documents' types,
  // required fields, enums and nulls are what an answer must match.
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  private readonly validators = new Map<string, ValidateFunction | undefined>();

  constructor(private readonly service: string, private readonly document: ResponseDocument) {
    this.ajv.addSchema(this.jsonSchema({ components: document.components ?? {} }) as object, service);
  }

  /** How the body breaks the schema documented for `status`; nothing when it matches, or no JSON body is documented. */
  violations(method: string, template: string, status: number, body: unknown): ErrorObject[] {
    const key = `${method} ${template} ${status}`;
    if (!this.validators.has(key)) this.validators.set(key, this.compile(method, template, status));
    const validate = this.validators.get(key);
    if (!validate || validate(body)) return [];
    return validate.errors ?? [];
  }

  private compile(method: string, template: string, status: number): ValidateFunction | undefined {
    const content = this.document.paths[template]?.[method.toLowerCase()]?.responses[String(status)]?.content ?? {};
    const schema = JSON_TYPES.map((type) => content[type]?.schema).find((found) => found !== undefined);
    return schema === undefined ? undefined : this.ajv.compile(this.jsonSchema(schema) as object);
  }

  /**
   * OpenAPI 3.0 → JSON Schema: `nullable: true` becomes "null, or the schema" (ajv's own `nullable` keyword would
   * miss the `allOf: [{ $ref }]` @nestjs/swagger writes for a nullable nested view, whose target says `object`),
   * and a reference into the document's components points at them under the service's name.
   */
  private jsonSchema(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map((item) => this.jsonSchema(item));
    if (typeof schema !== 'object' || schema === null) return schema;
    const { nullable, ...rest } = schema as Record<string, unknown>;
    const converted = Object.fromEntries(Object.entries(rest).map(([keyword, value]) => [keyword, this.keyword(keyword, value)]));
    return nullable === true ? { anyOf: [{ type: 'null' }, converted] } : converted;
  }

  private keyword(keyword: string, value: unknown): unknown {
    if (LITERALS.has(keyword)) return value;
    if (keyword === '$ref' && typeof value === 'string' && value.startsWith('#/')) return `${this.service}${value}`;
    if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, this.jsonSchema(schema)]));
    }
    return this.jsonSchema(value);
  }
}

/** Keywords whose value is data, not a schema: left as they are. */
const LITERALS = new Set(['enum', 'const', 'default', 'example', 'examples', 'description', 'required']);
/** Keywords whose value maps names to schemas: a property may be called `nullable`. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'schemas']);

/** Ajv's errors, one line each: where, what. */
export function describeViolations(errors: ErrorObject[], limit = 5): string {
  const lines = errors.slice(0, limit).map((error) => `${error.instancePath || '(body)'} ${error.message ?? error.keyword}${error.params && 'allowedValues' in error.params ? ` ${JSON.stringify(error.params.allowedValues)}` : ''}`);
  return lines.join('; ') + (errors.length > limit ? `; … ${errors.length - limit} more` : '');
}
