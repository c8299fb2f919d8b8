// The customer's inbox (CONTRACT §7): what the platform told them about their disputes, newest first, in the
// dispute's language. It refreshes itself, so news arrives while the page is open.
import { useId, useState } from 'react';
import { ok } from '@recourse/client';
import { ProblemNotice, When } from '../components/bits';
import { PagedList } from '../components/PagedList';
import { Notification, useCustomer } from '../context';
import { usePagedList } from '../paging';

const REFRESH_MS = 10_000;

export function Inbox() {
  const { client, t } = useCustomer();
  const inbox = usePagedList(
    (cursor?: string) => ok(client.notification.GET('/v1/notifications', { params: { query: { limit: 20, cursor } } })),
    [client],
    REFRESH_MS,
  );
  return (
    <section>
      <h1 tabIndex={-1}>{t('inboxTitle')}</h1>
      <PagedList list={inbox} loadingRows={3} empty={t('inboxEmpty')}>
        {(notification) => <InboxEntry key={notification.id} notification={notification} onRead={inbox.reload} />}
      </PagedList>
    </section>
  );
}

function InboxEntry({ notification, onRead }: { notification: Notification; onRead: () => Promise<void> }) {
  const { client, t } = useCustomer();
  const id = useId();
  const [error, setError] = useState<unknown>();
  // Marked read at once on screen; the list's next load confirms it.
  const [readHere, setReadHere] = useState(false);
  const unread = !notification.readAt && !readHere;
  const markRead = async () => {
    setError(undefined);
    try {
      await ok(client.notification.POST('/v1/notifications/{id}/read', { params: { path: { id: notification.id } } }));
      setReadHere(true);
      await onRead();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <li className={`entry${unread ? ' unread' : ''}`} data-notification-id={notification.id} data-read={!unread}>
      <h2 className="entry-title" id={`${id}-title`}>
        {unread && <span className="badge badge-unread">{t('unread')}</span>} <span lang={notification.locale}>{notification.title}</span>
      </h2>
      <p lang={notification.locale}>{notification.body}</p>
      <p className="row-line row-meta">
        <When iso={notification.createdAt} />
        <a href={`#/disputes/${encodeURIComponent(notification.disputeId)}`}>{t('openDispute')}</a>
      </p>
      <ProblemNotice error={error} />
      {unread && <button type="button" className="link" aria-describedby={`${id}-title`} onClick={() => void markRead()}>{t('markRead')}</button>}
    </li>
  );
}
