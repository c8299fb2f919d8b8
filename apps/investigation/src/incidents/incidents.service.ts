import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, ProblemException, toPage } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { IncidentView } from './dto/incident.view';
import { ListIncidentsQuery } from './dto/list-incidents.query';
import { IncidentErrors } from './incidents.errors';
import { IncidentsRepository } from './incidents.repository';
import { toIncidentView } from './incident.mapper';

/** Incidents as investigators and supervisors read them (CONTRACT §12). */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentsRepository,
  ) {}

  /** Newest first; `?status=` and `?merchantId=` filter. */
  async list(query: ListIncidentsQuery): Promise<Page<IncidentView>> {
    const limit = query.limit ?? 20;
    const found = await this.incidents.page({ status: query.status, merchantId: query.merchantId, after: decodeCursor(query.cursor), limit: limit + 1 });
    return toPage(found, limit, (row) => ({ at: row.opened_at, id: row.id }), toIncidentView);
  }

  async get(id: string): Promise<IncidentView> {
    const found = await this.incidents.withCases(this.dataSource, id);
    if (!found) throw new ProblemException(IncidentErrors.NotFound);
    return toIncidentView(found);
  }
}
