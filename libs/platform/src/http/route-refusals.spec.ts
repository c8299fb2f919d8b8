import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf } from './before-express';
import { RouteRefusals } from './route-refusals';

describe('RouteRefusals', () => {
  const refusals = new RouteRefusals();
  const refused: string[] = [];
  refusals.add('POST', /^\/v1\/disputes\/?$/i, (request) => void refused.push(`filing ${pathOf(request)}`));
  refusals.add('POST', /^\/v1\/disputes\/[^/]+\/appeal\/?$/i, (request, _response, next) => {
    refused.push(`appeal ${pathOf(request)}`);
    next();
  });
  const run = (method: string, path: string): boolean => {
    let passed = false;
    refusals.middleware({ method, url: path } as IncomingMessage, {} as ServerResponse, () => (passed = true));
    return passed;
  };

  beforeEach(() => (refused.length = 0));

  it('hands a matching route to its refusal, which decides whether it goes on', () => {
    expect(run('POST', '/v1/disputes')).toBe(false);
    expect(run('POST', '/V1/Disputes/?x=1')).toBe(false);
    expect(run('POST', '/v1/disputes/d_1/appeal')).toBe(true);
    expect(refused).toEqual(['filing /v1/disputes', 'filing /V1/Disputes/', 'appeal /v1/disputes/d_1/appeal']);
  });

  it('lets every other method and path through untouched', () => {
    expect(run('GET', '/v1/disputes')).toBe(true);
    expect(run('POST', '/v1/disputes/d_1')).toBe(true);
    expect(run('POST', '/v1/disputes/d_1/appeal/x')).toBe(true);
    expect(run('POST', '/v1/payments')).toBe(true);
    expect(refused).toEqual([]);
  });
});
