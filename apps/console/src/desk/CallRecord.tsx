// The record of the call, written once the dispute is filed. The case it belongs to opens a moment later
// (investigation learns of the filing through Kafka), so a 404 means "not yet": the desk keeps trying for a
// while, says so, and never drops what the agent typed.
import { ProblemError, RecourseClient } from '@recourse/client';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../components/bits';
import { useI18n } from '../lib/i18n';
import { addCallRecord, CallRecordBody } from './desk-api';
import { submitOnCtrlEnter, useIdempotencyKey } from './submit';

const RETRY_EVERY_MS = 1000;
const GIVE_UP_AFTER_MS = 60_000;

type Phase = 'editing' | 'saving' | 'waiting' | 'saved';

/** Worth another try: the case is not open yet, or the answer was lost or refused for now. */
function retriable(failure: unknown): boolean {
  if (!(failure instanceof ProblemError)) return true; // the network: nothing answered
  return failure.status === 404 || failure.status === 429 || failure.status >= 500 || failure.problem.code === 'idempotency_key_in_flight';
}

export function CallRecord({ client, disputeId, onSaved }: { client: RecourseClient; disputeId: string; onSaved: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [share, setShare] = useState(true);
  const [phase, setPhase] = useState<Phase>('editing');
  const [error, setError] = useState<Error | undefined>();
  const keys = useIdempotencyKey();
  const text = useRef<HTMLTextAreaElement>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    // Filed: what was said is the next thing to write down.
    text.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim() || phase === 'saving' || phase === 'waiting') return;
    const note: CallRecordBody = { body: body.trim(), kind: 'call', shareWithCustomer: share };
    setError(undefined);
    setPhase('saving');
    const giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
    for (;;) {
      try {
        await addCallRecord(client, disputeId, note, keys.keyFor(note));
        if (!mounted.current) return;
        setPhase('saved');
        onSaved();
        return;
      } catch (failure) {
        // A 404 wrote nothing, and its key would replay that 404: the next try goes under a new key.
        if (failure instanceof ProblemError && failure.status === 404) keys.forget();
        if (!mounted.current) return;
        if (!retriable(failure) || Date.now() > giveUpAt) {
          setError(failure as Error);
          setPhase('editing');
          return;
        }
        setPhase('waiting');
        await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
      }
    }
  };

  const busy = phase === 'saving' || phase === 'waiting';
  return (
    <form className="action" aria-labelledby="call-record-h" onSubmit={(event) => void save(event)}>
      <h2 id="call-record-h">{t('callRecordTitle')}</h2>
      <label htmlFor="call-record">{t('callRecordBody')}</label>
      {/* Read-only while saving and once saved, so what is on screen is what was sent. */}
      <textarea
        id="call-record" ref={text} rows={4} required maxLength={5000} value={body} readOnly={busy || phase === 'saved'}
        onChange={(event) => setBody(event.target.value)} onKeyDown={submitOnCtrlEnter}
      />
      <label className="inline" htmlFor="call-record-share">
        <input id="call-record-share" type="checkbox" checked={share} disabled={busy || phase === 'saved'} onChange={(event) => setShare(event.target.checked)} /> {t('shareWithCustomer')}
      </label>
      <p role="status" className={phase === 'saved' ? 'ok' : 'meta'}>
        {phase === 'waiting' ? t('savingCallRecord') : phase === 'saved' ? t('callRecordSaved') : ''}
      </p>
      {phase !== 'saved' && <button type="submit" className="primary" disabled={busy || !body.trim()}>{t('saveCallRecord')}</button>}
      <ErrorMessage error={error} />
    </form>
  );
}
