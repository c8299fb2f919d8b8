import { fileDispute } from './file-dispute';
import type { RecourseClient } from './index';

/** An intake that answers POST /v1/disputes with `answers` in turn, recording when and with which key it was asked. */
function intakeAnswering(answers: Array<{ status: number; headers?: Record<string, string>; body: unknown }>) {
  const calls: Array<{ at: number; key: string }> = [];
  const intake = {
    POST: async (_path: string, init: { params: { header: { 'Idempotency-Key': string } } }) => {
      calls.push({ at: Date.now(), key: init.params.header['Idempotency-Key'] });
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
      const response = new Response(null, { status: answer.status, headers: answer.headers });
      return answer.status < 300 ? { data: answer.body, error: undefined, response } : { data: undefined, error: answer.body, response };
    },
  } as unknown as RecourseClient['intake'];
  return { intake, calls };
}

const body = { paymentId: 'p-1', reason: 'duplicate_charge', description: 'charged twice' } as const;
const view = { id: 'd-1', paymentId: 'p-1', status: 'submitted' };
const overloaded = { type: 'about:blank', title: 'overloaded', status: 503, code: 'overloaded' };

describe('fileDispute', () => {
  it('waits as long as a 503 overloaded Retry-After asks, then files under the same key and returns the view', async () => {
    const { intake, calls } = intakeAnswering([{ status: 503, headers: { 'retry-after': '1' }, body: overloaded }, { status: 201, body: view }]);
    const filed = await fileDispute(() => intake, body, { retryDelayMs: () => 10 });
    expect(filed).toEqual({ disputeId: 'd-1', attempts: 2, via: 'created', dispute: view });
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
    expect(calls[1].key).toBe(calls[0].key);
  });

  it('retries a 503 without Retry-After after its own delay', async () => {
    const { intake, calls } = intakeAnswering([{ status: 503, body: overloaded }, { status: 201, body: view }]);
    await fileDispute(() => intake, body, { retryDelayMs: () => 10 });
    expect(calls[1].at - calls[0].at).toBeLessThan(500);
  });
});
