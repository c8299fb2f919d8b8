import { Injectable } from '@nestjs/common';
import { rows, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB } from '../database/investigation.tables';

const db = tables<DB>();

/** The stored bytes of a case's pictures, for the packet to show them. */
@Injectable()
export class PacketRepository {
  constructor(private readonly dataSource: DataSource) {}

  async images(caseId: string, sha256s: readonly string[]): Promise<Map<string, Buffer>> {
    if (sha256s.length === 0) return new Map();
    const found = await rows(this.dataSource, db.selectFrom('investigation.attachments').select(['sha256', 'content'])
      .where('dispute_id', '=', caseId).where('sha256', 'in', [...sha256s]).where('content_type', 'in', ['image/png', 'image/jpeg']));
    return new Map(found.map((row) => [row.sha256, row.content]));
  }
}
