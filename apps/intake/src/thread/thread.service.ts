import { Injectable } from '@nestjs/common';
import { threadFor } from '@recourse/domain';
import { Principal } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actableBy } from '../disputes/dispute-access.rules';
import { DisputesRepository } from '../disputes/disputes.repository';
import { ThreadView } from './dto/thread.view';
import { ThreadRepository } from './thread.repository';

/** The conversation as the customer (or a phone agent for them) may read it (CONTRACT §10). */
@Injectable()
export class ThreadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly disputes: DisputesRepository,
    private readonly thread: ThreadRepository,
  ) {}

  async read(principal: Principal, disputeId: string): Promise<ThreadView> {
    actableBy(principal, await this.disputes.find(this.dataSource, disputeId));
    const entries = (await this.thread.thread(this.dataSource, disputeId)).map((row) => ({ ...row, at: row.at.toISOString() }));
    // Intake only ever holds what the customer may read; the rule still decides, so no query can widen it.
    return { data: threadFor('customer', entries).map(({ id, at, from, body, attachments }) => ({ id, at, from, body, attachments })) };
  }
}
