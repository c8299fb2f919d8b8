// The call's first step: the customer id the caller gives.
import { FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../lib/i18n';

export function CallerLookup({ onFind }: { onFind: (customerId: string) => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // A new call starts here (the console marks the field for the page's first focus too).
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim()) onFind(typed.trim());
  };
  return (
    <form className="desk-lookup" aria-labelledby="lookup-h" onSubmit={submit}>
      <h2 id="lookup-h">{t('lookupTitle')}</h2>
      <label htmlFor="caller-id">{t('callerId')}</label>
      <div className="inline-row">
        <input
          id="caller-id" ref={input} data-autofocus required maxLength={128} autoComplete="off" spellCheck={false}
          value={typed} onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit" className="primary">{t('findCaller')}</button>
      </div>
    </form>
  );
}
