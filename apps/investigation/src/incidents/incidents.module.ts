import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { IncidentOpening } from './incident-opening.service';
import { IncidentResolutionService } from './incident-resolution.service';
import { IncidentResumer } from './incident-resumer.worker';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

/** Mass incidents (CONTRACT §12): opened and joined by triage's opening batch, read and resolved by supervisors. */
@Module({
  imports: [DeadlinesModule],
  controllers: [IncidentsController],
  providers: [IncidentsRepository, IncidentOpening, IncidentResolutionService, IncidentsService, IncidentResumer],
  exports: [IncidentOpening],
})
export class IncidentsModule {}
