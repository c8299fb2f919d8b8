import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AttachmentRow, copyAttachments } from './attachment-copy';
import { SpooledBytes } from './spooled-bytes';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
// Its own schema name would not do: copyAttachments writes `intake.attachments`, so the suite takes a database of its own.
const DATABASE = 'recourse_attachment_copy';

describe('copyAttachments against Postgres', () => {
  let admin: DataSource;
  let dataSource: DataSource;

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: databaseUrl, extra: { max: 1 } }).initialize();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    const url = Object.assign(new URL(databaseUrl), { pathname: `/${DATABASE}` }).toString();
    dataSource = await new DataSource({ type: 'postgres', url, extra: { max: 2 } }).initialize();
    await dataSource.query('CREATE SCHEMA intake');
    // The columns of intake's migration (its foreign keys aside).
    await dataSource.query(`CREATE TABLE intake.attachments (
      id bigserial PRIMARY KEY, dispute_id text NOT NULL, message_id text, file_name text NOT NULL, content_type text NOT NULL,
      size integer NOT NULL, sha256 char(64) NOT NULL, content bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin?.destroy();
  });

  const row = (content: Buffer, fields: Partial<AttachmentRow> = {}): AttachmentRow => ({
    disputeId: 'd-1', messageId: null, fileName: 'receipt.pdf', contentType: 'application/pdf',
    sha256: createHash('sha256').update(content).digest('hex'), content, size: content.length, ...fields,
  });
  /** The same bytes spooled to a file, as a streamed body leaves a large attachment. */
  const spooled = (content: Buffer): SpooledBytes => {
    const bytes = new SpooledBytes(content.length, 1024);
    bytes.writeBase64(content.toString('base64'), content.length);
    return bytes;
  };

  it('stores every row, its fields and its exact bytes, in the transaction, from memory or from a spool file', async () => {
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
    const large = randomBytes(5 * 1024 * 1024);
    const file = spooled(large);
    expect(file.spooled).toBe(true);
    const written = [row(everyByte, { messageId: 'm-1', fileName: '收据 №1.png', contentType: 'image/png' }), row(large), row(Buffer.from([0])), row(large, { content: file })];
    const bytes = [everyByte, large, Buffer.from([0]), large];
    await dataSource.transaction((manager) => copyAttachments(manager, 'intake', written));
    file.release();
    const stored: Array<{ dispute_id: string; message_id: string | null; file_name: string; content_type: string; size: number; sha256: string; content: Buffer }> =
      await dataSource.query('SELECT dispute_id, message_id, file_name, content_type, size, sha256, content FROM intake.attachments ORDER BY id');
    expect(stored.map(({ content, ...rest }) => ({ ...rest, bytes: content.toString('hex') }))).toEqual(written.map((one, index) => ({
      dispute_id: one.disputeId, message_id: one.messageId, file_name: one.fileName, content_type: one.contentType,
      size: bytes[index].length, sha256: one.sha256, bytes: bytes[index].toString('hex'),
    })));
  });

  it('writes nothing when its transaction rolls back, and refuses to run outside one', async () => {
    const before = Number((await dataSource.query('SELECT count(*) FROM intake.attachments'))[0].count);
    await expect(dataSource.transaction(async (manager) => {
      await copyAttachments(manager, 'intake', [row(Buffer.from('kept?'))]);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await expect(copyAttachments(dataSource.manager, 'intake', [row(Buffer.from('alone'))])).rejects.toThrow('inside a transaction');
    expect(Number((await dataSource.query('SELECT count(*) FROM intake.attachments'))[0].count)).toBe(before);
  });
});
