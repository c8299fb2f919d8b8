// The conversation as the customer may read it (CONTRACT §10), oldest first: their own messages, the
// merchant's messages meant for them and what our investigators shared. Files are listed by name and
// digest; the customer can match a digest against the file they hold.
import { useId } from 'react';
import type { IntakeSchemas } from '@recourse/client';
import { When } from '../components/bits';
import { useCustomer } from '../context';

export type ThreadEntry = IntakeSchemas['ThreadEntryView'];

export function DisputeThread({ thread }: { thread: ThreadEntry[] }) {
  const { t, label } = useCustomer();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('threadTitle')}</h2>
      {thread.length === 0 ? <p className="hint">{t('threadEmpty')}</p> : (
        <ol className="thread">
          {thread.map((entry) => (
            <li key={entry.id} className={`message from-${entry.from}`} data-thread-entry={entry.id} data-from={entry.from}>
              <p className="row-meta"><strong>{label(`from_${entry.from}`)}</strong> · <When iso={entry.at} /></p>
              <p className="message-body">{entry.body}</p>
              {entry.attachments.length > 0 && (
                <ul className="message-files">
                  {entry.attachments.map((file) => (
                    <li key={file.sha256 + file.fileName} data-file={file.fileName}>
                      {file.fileName} <span className="row-meta">SHA-256 <span className="id" title={file.sha256}>{file.sha256.slice(0, 12)}…</span></span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
