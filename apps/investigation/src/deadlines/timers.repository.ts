import { EntityManager } from 'typeorm';

export const TIMER_KINDS = ['merchant_response', 'provisional_credit', 'resolution', 'appeal_window'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** Schedules a durable timer; the same timer scheduled twice is one row. */
export async function scheduleTimer(manager: EntityManager, caseId: string, kind: TimerKind, dueAt: Date | string): Promise<void> {
  await manager.query(
    'INSERT INTO investigation.timers (case_id, kind, due_at) VALUES ($1, $2, $3) ON CONFLICT (case_id, kind, due_at) DO NOTHING',
    [caseId, kind, dueAt],
  );
}
