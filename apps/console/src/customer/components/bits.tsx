// Small pieces the customer's pages share.
import type { ReactNode } from 'react';
import { dateTime } from '../../lib/format';
import { useCustomer } from '../context';
import { describeProblem } from '../problems';

/**
 * Grey rows of the height the loaded rows will have, so nothing moves when the data arrives on a slow
 * network; screen readers hear "loading" instead.
 */
export function SkeletonRows({ rows = 4, className = 'row' }: { rows?: number; className?: string }) {
  const { t } = useCustomer();
  return (
    <div className="skeleton" aria-busy="true">
      <p className="visually-hidden" role="status">{t('loading')}</p>
      {Array.from({ length: rows }, (_, index) => <div key={index} className={`${className} skeleton-row`} aria-hidden="true" />)}
    </div>
  );
}

/** An error from a call, announced, in the page's language. */
export function ProblemNotice({ error }: { error: unknown }) {
  const customer = useCustomer();
  if (!error) return null;
  return <p className="problem" role="alert">{describeProblem(error, customer)}</p>;
}

export function StatusBadge({ status }: { status: string }) {
  const { label } = useCustomer();
  return <span className={`badge status-${status}`} data-status={status}>{label(status)}</span>;
}

export function When({ iso }: { iso: string }) {
  const { locale } = useCustomer();
  return <time dateTime={iso}>{dateTime(iso, locale)}</time>;
}

/** A term and its value in a definition list. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
