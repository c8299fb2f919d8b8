import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { TimersParkedMetric } from './timers-parked.metric';
import { Clock } from './clock.service';
import { DeadlineEffects } from './deadline-effects.service';
import { DeadlineWorker } from './deadline.worker';

/** Durable deadlines and what each does when it passes; the one clock every feature reads. */
@Module({
  imports: [CasesModule],
  providers: [Clock, DeadlineEffects, DeadlineWorker, TimersParkedMetric],
  exports: [Clock],
})
export class DeadlinesModule {}
