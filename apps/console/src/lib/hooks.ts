import { useCallback, useEffect, useRef, useState } from 'react';

/** The current time, ticking every `everyMs`: what countdowns render against. */
export function useNow(everyMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loadedAt: Date | undefined;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` now and again every `refreshMs` (when given), keeping the last good data on screen while
 * a refresh runs; `deps` restart it. A late answer to an older request never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ data: undefined, error: undefined, loadedAt: undefined });
  const generation = useRef(0);
  // The caller's deps decide when `load` is a new function, as with useCallback itself.
  const stableLoad = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await stableLoad();
      if (mine === generation.current) setState({ data, error: undefined, loadedAt: new Date() });
    } catch (error) {
      if (mine === generation.current) setState((previous) => ({ ...previous, error: error as Error }));
    }
  }, [stableLoad]);
  useEffect(() => {
    setState({ data: undefined, error: undefined, loadedAt: undefined });
    void reload();
    if (!refreshMs) return;
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);
  return { ...state, reload };
}

/** The part of the URL after `#` (`fallback` when there is none), kept in state: each page's whole router. */
export function useHashRoute(fallback = '/queue'): string {
  const [route, setRoute] = useState(() => window.location.hash.slice(1) || fallback);
  useEffect(() => {
    const onChange = () => setRoute(window.location.hash.slice(1) || fallback);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [fallback]);
  return route;
}

/** Runs an action, then reloads what it changed (`onChanged`); a refusal is kept for the page to announce. */
export function useAction(onChanged: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await onChanged();
      return true;
    } catch (failure) {
      setError(failure as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
