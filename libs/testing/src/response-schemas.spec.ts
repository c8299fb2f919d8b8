import { describeViolations, ResponseDocument, ResponseSchemas } from './response-schemas';

// The shapes @nestjs/swagger writes, in a document of its own.
const document: ResponseDocument = {
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingView' } } } },
          '201': { content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/PartView' }, { type: 'array', items: { type: 'string' } }] } } } },
          '204': {},
          '404': { content: { 'application/problem+json': { schema: { type: 'object', properties: { code: { type: 'string', enum: ['not_found'] } }, required: ['code'] } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      ThingView: {
        type: 'object',
        properties: {
          // A nullable nested view: `type: object` beside an allOf of its $ref.
          part: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/PartView' }] },
          note: { type: 'string', nullable: true, example: null },
          // Property names are not keywords.
          nullable: { type: 'number', description: 'minor units' },
        },
        required: ['part', 'note', 'nullable'],
      },
      PartView: { type: 'object', properties: { size: { type: 'number' } }, required: ['size'] },
    },
  },
};

describe('response schemas of an OpenAPI 3.0 document', () => {
  const schemas = new ResponseSchemas('things', document);
  const faults = (status: number, body: unknown) => describeViolations(schemas.violations('GET', '/v1/things/{id}', status, body));

  it('takes nulls where `nullable: true` says so, a nested view through allOf included', () => {
    expect(faults(200, { part: null, note: null, nullable: 1 })).toBe('');
    expect(faults(200, { part: { size: 2 }, note: 'n', nullable: 1 })).toBe('');
  });

  it('validates the view a $ref points at, and refuses what breaks it', () => {
    expect(faults(200, { part: { size: '2' }, note: null, nullable: 1 })).toContain('/part/size must be number');
    expect(faults(200, { part: null, note: null })).toBe("(body) must have required property 'nullable'");
    expect(faults(200, { part: null, note: null, nullable: null })).toBe('/nullable must be number');
    expect(faults(201, { size: 1 })).toBe('');
    expect(faults(201, ['a'])).toBe('');
    expect(faults(201, { size: 'big' })).toContain('(body) must match exactly one schema in oneOf');
  });

  it('checks problems (application/problem+json) and their enums', () => {
    expect(faults(404, { code: 'not_found' })).toBe('');
    expect(faults(404, { code: 'gone' })).toBe('/code must be equal to one of the allowed values ["not_found"]');
  });

  it('has nothing to say where no JSON body is documented', () => {
    expect(faults(204, 'anything')).toBe('');
    expect(faults(418, { any: 'thing' })).toBe('');
    expect(schemas.violations('GET', '/v1/elsewhere', 200, null)).toEqual([]);
  });

  it('names the first few faults and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, index) => ({ instancePath: `/${index}`, keyword: 'type', message: 'must be number', schemaPath: '', params: {} }));
    expect(describeViolations(many)).toBe('/0 must be number; /1 must be number; /2 must be number; /3 must be number; /4 must be number; … 3 more');
  });
});
