import { dataSourceOptions, Inbox, migrate, Outbox, ServiceInfo } from '@recourse/platform';
import { freshDatabase } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../src/audit/audit.repository';
import { AuditService } from '../src/audit/audit.service';
import { CasesRepository } from '../src/cases/cases.repository';
import { CaseWriter } from '../src/cases/case-writer.service';
import { Clock } from '../src/deadlines/clock.service';
import { IncidentOpening } from '../src/incidents/incident-opening.service';
import { IncidentsRepository } from '../src/incidents/incidents.repository';
import { InvestigationConfig } from '../src/investigation.config';
import { RingRepository } from '../src/linking/ring.repository';
import { FraudRingService } from '../src/linking/ring.service';
import { investigationMigrations } from '../src/migrations';
import { MerchantCountersRepository } from '../src/merchant-counters/merchant-counters.repository';
import { MerchantCountersService } from '../src/merchant-counters/merchant-counters.service';
import { MerchantRateRepository } from '../src/merchant-rate/merchant-rate.repository';
import { MerchantRateService } from '../src/merchant-rate/merchant-rate.service';
import { PaymentsRepository } from '../src/payments/payments.repository';
import { CaseOpeningService } from '../src/triage/case-opening.service';
import { TriageRepository } from '../src/triage/triage.repository';

/**
 * Triage's opening batch wired as the service wires it (rings, incidents, merchant counters), for the int-specs
 * that drive it directly on a database of their own; one place, so a new collaborator is added once.
 */
export function caseOpeningOn(dataSource: DataSource, outbox: Outbox, config: InvestigationConfig): { opening: CaseOpeningService; counters: MerchantCountersService } {
  const clock = new Clock();
  const counters = new MerchantCountersService(new MerchantCountersRepository(), new MerchantRateService(new MerchantRateRepository(dataSource), outbox, config, clock));
  const writer = new CaseWriter(new CasesRepository(dataSource), new AuditService(new AuditRepository(dataSource)), outbox);
  const opening = new CaseOpeningService(new TriageRepository(), new PaymentsRepository(), counters, outbox, config, clock,
    new FraudRingService(new RingRepository(), writer), new IncidentOpening(new IncidentsRepository(dataSource), outbox, config, clock));
  return { opening, counters };
}

/**
 * A fresh database of its own, migrated, with investigation's inbox and an outbox without a relay (the outbox
 * keeps every row a test compares): what the int-specs that drive the opening batch directly start from.
 */
export async function openingDatabase(database: string, options: { poolSize?: number } = {}): Promise<{ dataSource: DataSource; inbox: Inbox; outbox: Outbox }> {
  const url = await freshDatabase(database);
  const dataSource = new DataSource(dataSourceOptions({ url, schema: 'investigation', entities: [], migrations: investigationMigrations, ...options }));
  await dataSource.initialize();
  await migrate(dataSource, 'investigation');
  const service = { name: 'investigation' } as ServiceInfo;
  const outbox = new Outbox(service, { wake: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[1]);
  return { dataSource, inbox: new Inbox(service, dataSource), outbox };
}
