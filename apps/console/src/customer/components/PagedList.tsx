// A paged list's four states, the same on every list of the customer's: loading (rows of the loaded rows'
// height reserved, so nothing shifts), failed, empty, and the items with "show more" while there are more.
import type { ReactNode } from 'react';
import { useCustomer } from '../context';
import type { PagedList as List } from '../paging';
import { ProblemNotice, SkeletonRows } from './bits';

export function PagedList<T extends { id: string }>({ list, loadingRows, empty, children }: {
  list: List<T>;
  loadingRows: number;
  empty: string;
  /** One item as its list element, with its key. */
  children: (item: T) => ReactNode;
}) {
  const { t } = useCustomer();
  return (
    <>
      <ProblemNotice error={list.error} />
      {list.items === undefined ? (
        !list.error && <SkeletonRows rows={loadingRows} />
      ) : list.items.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ul className="rows">{list.items.map(children)}</ul>
      )}
      {list.hasMore && <button type="button" className="secondary" onClick={() => void list.showMore()}>{t('showMore')}</button>}
    </>
  );
}
