import { Injectable } from '@nestjs/common';
import { Actor, EventEnvelope } from '@recourse/contracts';
import { CaseCommand, CaseState, transition } from '@recourse/domain';
import { Outbox, ProblemException } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CaseErrors } from './cases.errors';
import { CaseColumns, CaseRow, CasesRepository } from './cases.repository';
import { stateOf } from './case.mapper';

export interface CaseChange {
  actor: Actor;
  /** The audit entry's action; its data says what changed and why. */
  action: string;
  data: object;
  /** Other columns this change sets (decision, deadlines…). */
  columns?: CaseColumns;
  events?: EventEnvelope[];
}

const STATE_COLUMNS = (state: CaseState): CaseColumns => ({
  status: state.status,
  pending_decision: state.pendingDecision,
  appealed: state.appealed,
  flags: state.flags,
});

/**
 * The one way a case changes: under its row lock, through the state machine, with its audit entry and its
 * events in the same transaction (so the events leave in commit order for the dispute).
 */
@Injectable()
export class CaseWriter {
  constructor(
    private readonly cases: CasesRepository,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
  ) {}

  async lock(manager: EntityManager, id: string | null): Promise<CaseRow> {
    const row = id ? await this.cases.lock(manager, id) : undefined;
    if (!row) throw new ProblemException(CaseErrors.NotFound);
    return row;
  }

  /** Applies a command or refuses it with 409 (`invalid_transition`, `four_eyes_required`). */
  async change(manager: EntityManager, row: CaseRow, command: CaseCommand, change: CaseChange): Promise<CaseState> {
    const result = transition(stateOf(row), command);
    if (!result.ok) {
      throw new ProblemException(result.reason === 'four_eyes_required' ? CaseErrors.FourEyesRequired : CaseErrors.InvalidTransition, `${command.type} is not allowed while the case is ${row.status}`);
    }
    await this.record(manager, row, result.state, change);
    return result.state;
  }

  /** An audit entry (and events) without a state change: notes, assignments, timers that found nothing to do. */
  async note(manager: EntityManager, row: CaseRow, change: CaseChange): Promise<void> {
    await this.record(manager, row, stateOf(row), change);
  }

  private async record(manager: EntityManager, row: CaseRow, state: CaseState, change: CaseChange): Promise<void> {
    const columns = { ...STATE_COLUMNS(state), ...(change.columns ?? {}) };
    await this.cases.update(manager, row.id, columns);
    Object.assign(row, columns);
    await this.audit.append(manager, row.id, change.actor, change.action, change.data);
    await this.outbox.append(manager, change.events ?? []);
  }
}
