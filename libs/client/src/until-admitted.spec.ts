import { untilAdmitted } from './until-admitted';

/** A call answering `answers` in turn (the last one again once they run out), recording when it was made. */
function answering(answers: Array<{ status: number; headers?: Record<string, string>; code?: string }>) {
  const at: number[] = [];
  const call = async () => {
    at.push(Date.now());
    const answer = answers[Math.min(at.length - 1, answers.length - 1)];
    const response = new Response(null, { status: answer.status, headers: answer.headers });
    return answer.status < 300 ? { data: { ok: true }, error: undefined, response } : { data: undefined, error: { code: answer.code }, response };
  };
  return { call, at };
}

describe('untilAdmitted', () => {
  it('sends a refused request again after the pause its Retry-After asks for, and answers the admitted one', async () => {
    const { call, at } = answering([{ status: 503, code: 'overloaded', headers: { 'retry-after': '1' } }, { status: 429, code: 'rate_limited' }, { status: 200 }]);
    const answer = await untilAdmitted(call, { minDelayMs: 10 });
    expect(answer.response.status).toBe(200);
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(950);
    expect(at[2] - at[1]).toBeLessThan(500);
  });

  it('answers any other problem at once: it may have changed something, or will not change by asking again', async () => {
    const { call, at } = answering([{ status: 409, code: 'invalid_transition' }, { status: 200 }]);
    expect((await untilAdmitted(call)).response.status).toBe(409);
    const unavailable = answering([{ status: 503, code: 'service_unavailable' }, { status: 200 }]);
    expect((await untilAdmitted(unavailable.call)).response.status).toBe(503);
    expect(at).toHaveLength(1);
    expect(unavailable.at).toHaveLength(1);
  });

  it('answers the refusal itself once the time is up', async () => {
    const { call, at } = answering([{ status: 503, code: 'overloaded' }]);
    const answer = await untilAdmitted(call, { timeoutMs: 200, minDelayMs: 50 });
    expect(answer.response.status).toBe(503);
    expect(at.length).toBeGreaterThanOrEqual(3);
  });
});
