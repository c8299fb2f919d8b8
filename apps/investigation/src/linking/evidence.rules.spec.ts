import { isPriorEvidence, priorUndisputed, PriorPayment } from './evidence.rules';

const DAY = 86_400_000;
const disputed = { createdAt: '2026-06-30T10:00:00.000Z', device: { id: 'phone-1', ip: '203.0.113.7' } };
const daysBefore = (days: number, device: PriorPayment['device'] = { id: 'phone-1' }, id = `p-${days}`): PriorPayment => ({
  id, createdAt: new Date(Date.parse(disputed.createdAt) - days * DAY).toISOString(), device,
});

describe('compelling evidence (CONTRACT §12)', () => {
  it.each([
    [119, false],
    [120, true],
    [200, true],
    [365, true],
    [366, false],
  ])('a payment %i days before is in the 120–365 day window: %s', (days, inside) => {
    expect(isPriorEvidence(disputed, daysBefore(days))).toBe(inside);
  });

  it('counts the window to the millisecond at both ends', () => {
    const at = (ms: number): PriorPayment => ({ id: 'p', createdAt: new Date(Date.parse(disputed.createdAt) - ms).toISOString(), device: { id: 'phone-1' } });
    expect(isPriorEvidence(disputed, at(120 * DAY - 1))).toBe(false);
    expect(isPriorEvidence(disputed, at(365 * DAY + 1))).toBe(false);
  });

  it('needs the same device id or the same ip', () => {
    expect(isPriorEvidence(disputed, daysBefore(200, { ip: '203.0.113.7' }))).toBe(true);
    expect(isPriorEvidence(disputed, daysBefore(200, { id: 'phone-2', ip: '203.0.113.7' }))).toBe(true);
    expect(isPriorEvidence(disputed, daysBefore(200, { id: 'phone-2', ip: '203.0.113.8' }))).toBe(false);
    expect(isPriorEvidence(disputed, daysBefore(200, {}))).toBe(false);
    // Two payments without a device share nothing.
    expect(isPriorEvidence({ createdAt: disputed.createdAt }, daysBefore(200, {}))).toBe(false);
    expect(isPriorEvidence({ createdAt: disputed.createdAt, device: { ip: '203.0.113.7' } }, daysBefore(200, { id: 'phone-1' }))).toBe(false);
  });

  it("hides, in a run, a later dispute's payment and one the run disputed before", () => {
    const candidates = [daysBefore(130, undefined, 'later'), daysBefore(140, undefined, 'disputed'), daysBefore(150, undefined, 'kept'), daysBefore(100, undefined, 'recent')];
    expect(priorUndisputed(disputed, candidates, { visible: (id) => id !== 'later', disputedInRun: new Set(['disputed']) })).toEqual(['kept']);
  });
});
