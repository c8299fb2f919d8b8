// What has been said and done on a case: notes, the merchant's evidence, the customer's timeline, the
// refunds, and the audit trail with the result of recomputing its hash chain.
import { FormEvent, useState } from 'react';
import { ProblemError, RecourseClient } from '@recourse/client';
import { addNote, auditTrail, Case, refunds as caseRefunds, timeline, verifyAudit } from '../api/cases-api';
import { useIdempotencyKey } from '../desk/submit';
import { dateTime, money } from '../lib/format';
import { useAction, useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { can, Session } from '../lib/session';
import { AttachmentItem } from './AttachmentItem';
import { ErrorMessage, StatusBadge } from './bits';

const REFRESH_MS = 3000;

export function Notes({ item, client, onChanged }: { item: Case; client: RecourseClient; onChanged: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const [body, setBody] = useState('');
  const [kind, setKind] = useState<'note' | 'call'>('note');
  const [share, setShare] = useState(false);
  const action = useAction(onChanged);
  const keys = useIdempotencyKey();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const note = { body: body.trim(), kind, shareWithCustomer: share };
    if (await action.run(() => addNote(client, item.id, note, keys.keyFor(note)))) {
      setBody('');
      setShare(false);
    }
  };
  return (
    <section aria-labelledby="notes-h">
      <h2 id="notes-h">{t('notes')}</h2>
      {item.notes.length === 0 ? <p className="muted">{t('noNotes')}</p> : (
        <ol className="records">
          {item.notes.map((note) => (
            <li key={note.id}>
              <p className="meta">
                {note.kind === 'call' ? t('kindCall') : t('kindNote')} · {note.author.type}:{note.author.id} · {dateTime(note.createdAt, locale)}
                {note.shareWithCustomer && <> · <strong>{t('shared')}</strong></>}
              </p>
              <p className="body">{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form className="action" aria-labelledby="add-note-h" onSubmit={(event) => void submit(event)}>
        <h3 id="add-note-h">{t('addNote')}</h3>
        <label htmlFor="note-kind">{t('noteKind')}</label>
        <select id="note-kind" value={kind} onChange={(event) => setKind(event.target.value as 'note' | 'call')}>
          <option value="note">{t('kindNote')}</option>
          <option value="call">{t('kindCall')}</option>
        </select>
        <label htmlFor="note-body">{t('noteBody')}</label>
        <textarea id="note-body" rows={3} required maxLength={5000} value={body} onChange={(event) => setBody(event.target.value)} />
        <label className="inline">
          <input type="checkbox" checked={share} onChange={(event) => setShare(event.target.checked)} /> {t('shareWithCustomer')}
        </label>
        <button type="submit" disabled={action.busy || !body.trim()}>{t('addNote')}</button>
        <ErrorMessage error={action.error} />
      </form>
    </section>
  );
}

export function Evidence({ item, client }: { item: Case; client: RecourseClient }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="evidence-h">
      <h2 id="evidence-h">{t('evidence')}</h2>
      {item.evidenceRequest && (
        <p className="meta">{t('requested', { message: item.evidenceRequest.message, due: dateTime(item.evidenceRequest.dueBy, locale) })}</p>
      )}
      {item.merchantResponses.length === 0 ? <p className="muted">{t('noEvidence')}</p> : (
        <ol className="records">
          {item.merchantResponses.map((response) => (
            <li key={response.id}>
              <p className="meta">{response.merchantId} · {dateTime(response.createdAt, locale)}</p>
              <p className="body">{response.body}</p>
              {response.attachments.length > 0 && (
                <ul className="attachments">{response.attachments.map((file) => <AttachmentItem key={file.sha256} caseId={item.id} file={file} client={client} />)}</ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Timeline({ id, client, session }: { id: string; client: RecourseClient; session: Session }) {
  const { t, locale } = useI18n();
  const readable = can(session, 'agent');
  const loaded = useLoad(() => (readable ? timeline(client, id) : Promise.resolve(null)), [client, id, readable], REFRESH_MS);
  const forbidden = !readable || (loaded.error instanceof ProblemError && loaded.error.status === 403);
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('timeline')}</h2>
      {forbidden ? <p className="muted">{t('timelineForbidden')}</p> : <ErrorMessage error={loaded.error} />}
      {loaded.data && (
        <ol className="records">
          {loaded.data.timeline.map((event, index) => (
            <li key={`${event.at}-${index}`}>
              <p className="meta">{dateTime(event.at, locale)} · <code>{event.type}</code></p>
              <p className="body">{event.message}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Refunds({ id, client }: { id: string; client: RecourseClient }) {
  const { t, label, locale } = useI18n();
  const loaded = useLoad(() => caseRefunds(client, id), [client, id], REFRESH_MS);
  const refunds = loaded.data?.data ?? [];
  return (
    <section aria-labelledby="refunds-h">
      <h2 id="refunds-h">{t('refunds')}</h2>
      <ErrorMessage error={loaded.error} />
      <div role="status" aria-live="polite">
        {loaded.data && refunds.length === 0 && <p className="muted">{t('noRefunds')}</p>}
        {refunds.length > 0 && (
          <ul className="records">
            {refunds.map((refund) => (
              <li key={refund.id} data-refund-status={refund.status}>
                {label(refund.kind)} · <StatusBadge status={refund.status} /> · {money(refund.amount, refund.currency, locale)} · {refund.liability} · {dateTime(refund.createdAt, locale)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** Reloaded whenever the case changes (`updatedAt`), since every change appends an entry. */
export function AuditTrail({ id, client, updatedAt }: { id: string; client: RecourseClient; updatedAt: string }) {
  const { t, locale } = useI18n();
  const trail = useLoad(() => Promise.all([auditTrail(client, id), verifyAudit(client, id)]), [client, id, updatedAt]);
  const [entries, verdict] = trail.data ?? [];
  return (
    <section aria-labelledby="audit-h">
      <h2 id="audit-h">{t('audit')}</h2>
      <ErrorMessage error={trail.error} />
      {verdict && (
        <p className={verdict.valid ? 'ok' : 'error'} role="status">
          {verdict.valid ? `✔ ${t('auditValid', { count: verdict.entries })}` : `✘ ${t('auditBroken', { seq: verdict.brokenAt })}`}
        </p>
      )}
      {entries && (
        <ol className="audit">
          {entries.data.map((entry) => (
            <li key={entry.seq}>
              <span className="seq">#{entry.seq}</span> <code>{entry.action}</code> · {entry.actor.type}:{entry.actor.id} · {dateTime(entry.at, locale)}
              <span className="hash" title={entry.hash}> {entry.hash.slice(0, 10)}…</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
