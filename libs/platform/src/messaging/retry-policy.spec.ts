import { QueryFailedError } from 'typeorm';
import { classifyFailure, DETERMINISTIC_ATTEMPTS, RetryPolicy } from './retry-policy';

/** What TypeORM throws for a failed statement: the driver's error (with its SQLSTATE) inside. */
const sqlError = (code: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error(`sqlstate ${code}`), { code }));

describe('retry policy', () => {
  it.each([
    ['40P01', 'deadlock_detected'],
    ['40001', 'serialization_failure'],
    ['53300', 'too_many_connections'],
    ['55P03', 'lock_not_available'],
    ['57014', 'query_canceled'],
    ['25006', 'read_only_sql_transaction'],
    ['57P01', 'admin_shutdown'],
    ['08006', 'connection_failure'],
  ])('classifies SQLSTATE %s (%s) as transient', (code) => {
    expect(classifyFailure(sqlError(code))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('raw driver error'), { code }))).toBe('transient');
  });

  it.each([
    ['a Postgres that refuses connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool with no free connection in time', new Error('timeout exceeded when trying to connect')],
  ])('classifies %s as transient', (_, error) => {
    expect(classifyFailure(error)).toBe('transient');
  });

  it.each([
    ['a unique violation', sqlError('23505')],
    ['a check violation', sqlError('23514')],
    ['an invalid parameter', sqlError('22023')],
    ['a handler that throws', new Error('case.decided names no dispute')],
    ['something that is not an Error', 'oops'],
    ['nothing at all', undefined],
  ])('classifies %s as deterministic', (_, error) => {
    expect(classifyFailure(error)).toBe('deterministic');
  });

  it('gives up on the third deterministic failure, after 100 and 500 ms', () => {
    const policy = new RetryPolicy();
    expect(policy.next(new Error('bad'))).toEqual({ retry: true, kind: 'deterministic', delayMs: 100 });
    expect(policy.next(new Error('bad'))).toEqual({ retry: true, kind: 'deterministic', delayMs: 500 });
    expect(policy.next(new Error('bad'))).toEqual({ retry: false, kind: 'deterministic' });
    expect(policy.failures).toBe(DETERMINISTIC_ATTEMPTS);
  });

  it('never gives up on transient failures, backing off exponentially up to 5 s', () => {
    const highest = new RetryPolicy(() => 1);
    const delays = Array.from({ length: 12 }, () => highest.next(sqlError('40P01')));
    expect(delays.every((decision) => decision.retry && decision.kind === 'transient')).toBe(true);
    expect(delays.map((decision) => (decision.retry ? decision.delayMs : -1))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000, 5000]);
    // Jitter: between half the ceiling and the ceiling.
    const lowest = new RetryPolicy(() => 0);
    expect(lowest.next(sqlError('40001'))).toEqual({ retry: true, kind: 'transient', delayMs: 50 });
  });

  it('counts only deterministic failures toward the dead-letter topic', () => {
    const policy = new RetryPolicy();
    for (let i = 0; i < 10; i++) policy.next(sqlError('40P01'));
    expect(policy.next(new Error('bad')).retry).toBe(true);
    expect(policy.next(sqlError('55P03')).retry).toBe(true);
    expect(policy.next(new Error('bad')).retry).toBe(true);
    expect(policy.next(new Error('bad')).retry).toBe(false);
    expect(policy.failures).toBe(14);
  });
});
