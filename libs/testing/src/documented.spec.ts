import { checkDocumented, documentedOperation } from './documented';

describe('answers checked against the OpenAPI documents', () => {
  // These answers are made up: keep them out of a RECORD_RESPONSES recording of the suites.
  const recording = process.env.RECORD_RESPONSES;
  beforeAll(() => delete process.env.RECORD_RESPONSES);
  afterAll(() => {
    if (recording !== undefined) process.env.RECORD_RESPONSES = recording;
  });

  it('refuses a status the route does not document', () => {
    expect(() => checkDocumented({ method: 'GET', url: 'http://127.0.0.1:1/v1/cases/c-1', status: 418, body: { code: 'teapot' } }))
      .toThrow(/investigation's OpenAPI document lists 200, 400, 401, 403, 404, 503 for GET \/v1\/cases\/\{id\}, but GET http:\/\/127.0.0.1:1\/v1\/cases\/c-1 answered 418/);
  });

  const problem = (status: number, code: string) => ({ type: 'about:blank', title: 'Problem', status, detail: code, code, instance: '/v1/cases/c-1' });

  it('accepts the statuses the route documents, problems included', () => {
    for (const status of [404, 503]) expect(() => checkDocumented({ method: 'GET', url: '/v1/cases/c-1?x=1', status, body: problem(status, 'x') })).not.toThrow();
    expect(() => checkDocumented({ method: 'POST', url: '/v1/cases/c-1/notes', status: 429, body: problem(429, 'rate_limited') })).not.toThrow();
  });

  it('checks the body against the schema documented for its status, through the components it refers to', () => {
    expect(() => checkDocumented({ method: 'GET', url: '/v1/cases/c-1', status: 404, body: problem(404, 'not_found') })).not.toThrow();
    expect(() => checkDocumented({ method: 'GET', url: '/v1/cases?limit=1', status: 200, body: { data: [], nextCursor: null } })).not.toThrow();
    expect(() => checkDocumented({ method: 'GET', url: '/v1/cases?limit=1', status: 200, body: { data: [{ id: 'c-1' }], nextCursor: null } }))
      .toThrow(/^investigation's OpenAPI document refuses the 200 body GET \/v1\/cases\?limit=1 answered \(GET \/v1\/cases\): \/data\/0 must have required property 'status'/);
  });

  it('refuses a body of the wrong type or without a required field, naming each fault and showing the body', () => {
    expect(() => checkDocumented({ method: 'GET', url: '/v1/cases/c-1', status: 404, body: { ...problem(404, 'not_found'), status: '404' } }))
      .toThrow(/\(GET \/v1\/cases\/\{id\}\): \/status must be number; body \{"type":"about:blank"/);
    const { code: _code, ...uncoded } = problem(404, 'not_found');
    expect(() => checkDocumented({ method: 'GET', url: '/v1/cases/c-1', status: 404, body: uncoded })).toThrow(/\(body\) must have required property 'code'/);
    expect(() => checkDocumented({ method: 'GET', url: '/v1/cases/c-1', status: 404, body: 'Not Found' })).toThrow(/\(body\) must be object; body "Not Found"/);
  });

  it('takes null where the document says nullable, and only there', () => {
    const unfrozen = { account: 'customer:c-1', frozen: false, frozenBy: null, reason: null, frozenAt: null };
    expect(() => checkDocumented({ method: 'POST', url: '/v1/ledger/accounts/customer:c-1/unfreeze', status: 200, body: unfrozen })).not.toThrow();
    expect(() => checkDocumented({ method: 'POST', url: '/v1/ledger/accounts/customer:c-1/unfreeze', status: 200, body: { ...unfrozen, account: null } }))
      .toThrow(/refund's OpenAPI document refuses the 200 body .*\/account must be string/);
  });

  it('leaves bodies other than JSON to their routes (an attachment\'s bytes)', () => {
    expect(() => checkDocumented({ method: 'GET', url: `/v1/cases/c-1/attachments/${'a'.repeat(64)}`, status: 200, body: '\u0089PNG' })).not.toThrow();
  });

  it('finds the serving service and operation by method and path, literal paths before parameters', () => {
    expect(documentedOperation('GET', '/v1/ledger/verify')).toMatchObject({ service: 'refund', template: '/v1/ledger/verify' });
    expect(documentedOperation('POST', '/v1/disputes/d-1/messages')).toMatchObject({ service: 'intake', template: '/v1/disputes/{id}/messages' });
    // Routes outside the documents are not the documents' business.
    expect(documentedOperation('GET', '/health/ready')).toBeUndefined();
    expect(documentedOperation('PUT', '/v1/cases/c-1')).toBeUndefined();
  });
});
