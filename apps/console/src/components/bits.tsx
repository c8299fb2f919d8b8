// Small pieces the pages share.
import type { ReactNode } from 'react';
import { ProblemError } from '@recourse/client';
import type { Deadlines } from '../api/cases-api';
import { countdown, dateTime } from '../lib/format';
import { MessageKey, useI18n } from '../lib/i18n';

export function Countdown({ deadline, now }: { deadline: string; now: Date }) {
  const { t, locale } = useI18n();
  const left = countdown(deadline, now);
  return (
    <time dateTime={deadline} title={dateTime(deadline, locale)} className={left.past ? 'past' : undefined}>
      {left.text}
      {left.past && <span className="visually-hidden"> ({t('overdue')})</span>}
    </time>
  );
}

/** The deadline an open case must meet first, as the queue sorts by it. */
export function nextDeadline(deadlines: Deadlines): string {
  return [deadlines.merchantResponseBy, deadlines.provisionalCreditBy, deadlines.resolutionBy]
    .filter((value): value is string => Boolean(value))
    .sort((a, b) => new Date(a).getTime() - new Date(b).getTime())[0];
}

/** One row of a definition list (`dl.facts`). */
export function Fact({ name, value }: { name: string; value: ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}

export function RiskScore({ score }: { score: number }) {
  const { t } = useI18n();
  const level = score >= 70 ? 'high' : score >= 40 ? 'medium' : 'low';
  return <span className={`risk risk-${level}`} aria-label={`${t('risk')} ${score}/100`}>{score}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const { label } = useI18n();
  return <span className={`badge status-${status}`} data-status={status}>{label(status)}</span>;
}

/** An incident's status (CONTRACT §12), worded as incidents have it: a case's or an offer's `open` reads otherwise. */
export function IncidentBadge({ status }: { status: 'open' | 'resolved' }) {
  const { label } = useI18n();
  return <span className={`badge status-${status}`} data-status={status}>{label(`incident_${status}`)}</span>;
}

/**
 * A refusal, announced. `explain` words the refusals a form expects in the console's language (the
 * service's `detail` is English for developers); any other shows the service's words and its code.
 */
export function ErrorMessage({ error, explain = {} }: { error: Error | undefined; explain?: Partial<Record<string, MessageKey>> }) {
  const { t } = useI18n();
  if (!error) return null;
  // A refusal carries the problem's stable code; anything else (the network) only its message.
  if (error instanceof ProblemError) {
    const known = explain[error.problem.code];
    return <p className="error" role="alert" data-problem={error.problem.code}>{t('error')}: {known ? t(known) : error.problem.detail || error.problem.title} ({error.problem.code})</p>;
  }
  return <p className="error" role="alert">{t('error')}: {error.message}</p>;
}

/**
 * A refusal with the fields of its RFC 9457 problem (title, status, code, detail, instance, the offending
 * fields), for an action whose refusal a person has to understand before trying again; `explain` adds the
 * console's own words for the codes the action expects. Anything but a problem (the network) as ErrorMessage.
 */
export function ProblemDetails({ error, explain = {} }: { error: Error | undefined; explain?: Partial<Record<string, MessageKey>> }) {
  const { t } = useI18n();
  if (!(error instanceof ProblemError)) return <ErrorMessage error={error} />;
  const { problem, status } = error;
  const known = explain[problem.code];
  return (
    <div className="problem" role="alert" data-problem={problem.code}>
      <p className="error">{t('error')}: {known ? t(known) : problem.title}</p>
      <dl className="facts">
        <dt>{t('problemStatus')}</dt><dd data-problem-status={status}>{status} · {problem.title}</dd>
        <dt>{t('problemCode')}</dt><dd><code>{problem.code}</code></dd>
        {problem.detail && <><dt>{t('problemDetail')}</dt><dd>{problem.detail}</dd></>}
        {problem.instance && <><dt>{t('problemInstance')}</dt><dd><code>{problem.instance}</code></dd></>}
        {problem.type && problem.type !== 'about:blank' && <><dt>{t('problemType')}</dt><dd><code>{problem.type}</code></dd></>}
      </dl>
      {problem.errors && problem.errors.length > 0 && (
        <ul aria-label={t('problemFields')}>
          {problem.errors.map((field) => <li key={`${field.field}-${field.code}`} data-field={field.field}><code>{field.field}</code>: {field.message}</li>)}
        </ul>
      )}
    </div>
  );
}
