import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, Principal, ProblemException, requestTransaction, Roles } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { staffActor } from '../cases/actors.rules';
import { CaseErrors } from '../cases/cases.errors';
import { CaseWriter } from '../cases/case-writer.service';
import { CasesService } from '../cases/cases.service';
import { CaseView } from '../cases/dto/case.view';
import { DecisionsService } from './decisions.service';
import { liabilitySplitOf } from './decision.rules';
import { DecisionDto, DeclineDto } from './dto/decision.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id/decision')
export class DecisionsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CaseWriter,
    private readonly decisions: DecisionsService,
    private readonly cases: CasesService,
  ) {}

  /** A person decides; an approval above FOUR_EYES_THRESHOLD is held for a supervisor. */
  @Post()
  @HttpCode(200)
  @Roles('investigator', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'the case decided, or with `pendingDecision` when the approval waits for a supervisor' })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, CaseErrors.AmountExceedsDispute)
  decide(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DecisionDto) {
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      const refundAmount = body.refundAmount ?? row.amount;
      if (refundAmount > row.amount) throw new ProblemException(CaseErrors.AmountExceedsDispute, `at most ${row.amount}`, [{ field: 'refundAmount', code: 'max', message: `refundAmount must be at most ${row.amount}` }]);
      const liabilitySplit = liabilitySplitOf(body, refundAmount);
      const by = { actor: staffActor(principal), kind: 'person' as const };
      const decision = { outcome: body.outcome, refundAmount, reasonCode: body.reasonCode, explanation: body.explanation, by, ...liabilitySplit };
      if (this.decisions.needsFourEyes(decision)) {
        await this.decisions.hold(manager, row, { refundAmount, reasonCode: body.reasonCode, explanation: body.explanation, decidedBy: principal.sub, ...liabilitySplit }, by.actor);
      } else {
        await this.decisions.decide(manager, row, decision);
      }
      return this.cases.get(id, manager);
    });
  }

  /** The second pair of eyes: a supervisor who is not the decider confirms the held approval. */
  @Post('approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, CaseErrors.FourEyesRequired)
  approve(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      const pending = row.pending_decision;
      if (!pending) throw new ProblemException(CaseErrors.InvalidTransition, 'no decision is waiting for confirmation');
      await this.decisions.decide(manager, row, {
        outcome: 'approve', refundAmount: pending.refundAmount, reasonCode: pending.reasonCode, explanation: pending.explanation,
        ...(pending.liabilitySplit ? { liabilitySplit: pending.liabilitySplit } : {}),
        ...(pending.liability ? { liability: pending.liability } : {}), ...(pending.incidentId ? { incidentId: pending.incidentId } : {}),
        by: { actor: { type: pending.incidentId ? 'supervisor' : 'investigator', id: pending.decidedBy }, kind: 'person' },
        command: { type: 'approve_pending', by: principal.sub },
      }, staffActor(principal));
      return this.cases.get(id, manager);
    });
  }

  @Post('decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition)
  decline(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DeclineDto) {
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      await this.writer.change(manager, row, { type: 'decline_pending' }, {
        actor: staffActor(principal), action: 'case.decision_declined', data: { declined: row.pending_decision, explanation: body.explanation },
      });
      return this.cases.get(id, manager);
    });
  }
}
