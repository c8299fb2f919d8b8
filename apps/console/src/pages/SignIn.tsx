import { FormEvent, useState } from 'react';
import { useI18n } from '../lib/i18n';
import { readSession, Session } from '../lib/session';

const ERRORS = { malformed: 'tokenMalformed', expired: 'tokenExpired', no_console_role: 'tokenNoConsoleRole' } as const;

export function SignIn({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const session = readSession(token);
    if (typeof session === 'string') setError(t(ERRORS[session]));
    else onSignIn(session);
  };

  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{t('signIn')}</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="token">{t('tokenLabel')}</label>
        <p id="token-hint" className="hint">{t('tokenHint')}</p>
        <textarea
          id="token" name="token" rows={5} required spellCheck={false} autoComplete="off" value={token}
          aria-describedby={error ? 'token-hint token-error' : 'token-hint'} aria-invalid={error ? true : undefined}
          onChange={(event) => setToken(event.target.value)}
        />
        {error && <p id="token-error" className="error" role="alert">{error}</p>}
        <button type="submit" className="primary">{t('signIn')}</button>
      </form>
    </section>
  );
}
