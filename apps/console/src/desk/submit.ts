// Submitting what a person typed: the Idempotency-Key rule (CONTRACT §1) and keyboard submission.
import { idempotencyKey } from '@recourse/client';
import { KeyboardEvent, useRef, useState } from 'react';

/**
 * The key for a submission: the same body keeps its key, so a retry after a lost answer replays the first
 * one instead of filing twice; a changed body is a new submission with a new key. `forget` drops the key
 * when its stored answer is known to have written nothing and must not be replayed (a 404).
 */
export function useIdempotencyKey() {
  const last = useRef<{ body: string; key: string } | null>(null);
  return {
    keyFor(body: object): string {
      const text = JSON.stringify(body);
      if (last.current?.body !== text) last.current = { body: text, key: idempotencyKey() };
      return last.current.key;
    },
    forget() {
      last.current = null;
    },
  };
}

/** A creating request with its busy and error state; resolves to its answer, or undefined when refused. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const keys = useIdempotencyKey();
  const run = async <T>(body: object, send: (key: string) => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await send(keys.keyFor(body));
    } catch (failure) {
      setError(failure as Error);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Ctrl+Enter (⌘+Enter) in a text area submits its form; plain Enter still starts a new line. */
export function submitOnCtrlEnter(event: KeyboardEvent<HTMLTextAreaElement>): void {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
  event.preventDefault();
  event.currentTarget.form?.requestSubmit();
}
