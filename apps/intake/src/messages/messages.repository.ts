import { Injectable } from '@nestjs/common';
import { Insertable, Queryable, rows, tables } from '@recourse/platform';
import { DB, IntakeMessages } from '../database/intake.tables';

const db = tables<DB>();

/** intake.messages: what the customer adds to a dispute (its files are the platform's attachments). */
@Injectable()
export class MessagesRepository {
  async add(on: Queryable, message: Insertable<IntakeMessages>): Promise<void> {
    await rows(on, db.insertInto('intake.messages').values(message));
  }
}
