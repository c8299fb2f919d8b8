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

  it('accepts the statuses the route documents, problems included', () => {
    for (const status of [200, 404, 503]) expect(() => checkDocumented({ method: 'GET', url: '/v1/cases/c-1?x=1', status, body: null })).not.toThrow();
    expect(() => checkDocumented({ method: 'POST', url: '/v1/cases/c-1/notes', status: 429, body: null })).not.toThrow();
  });

  it('finds the serving service and operation by method and path, literal paths before parameters', () => {
    expect(documentedOperation('GET', '/v1/ledger/verify')).toMatchObject({ service: 'refund', template: '/v1/ledger/verify' });
    expect(documentedOperation('POST', '/v1/disputes/d-1/messages')).toMatchObject({ service: 'intake', template: '/v1/disputes/{id}/messages' });
    // Routes outside the documents are not the documents' business.
    expect(documentedOperation('GET', '/health/ready')).toBeUndefined();
    expect(documentedOperation('PUT', '/v1/cases/c-1')).toBeUndefined();
  });
});
