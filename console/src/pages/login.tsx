/**
 * Sign-in: POST /api/v1/auth/login with login and password (and the one-time code once the API says the
 * operator has a second factor). The session is an HttpOnly cookie the page never sees; the answer's CSRF token
 * goes with every unsafe request. Errors are shown as the API words them (a lockout's 429 included).
 */
import { useState } from 'preact/hooks';
import { api, ApiFailure, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorNote, Field, onSubmit, useAction } from '../components/ui';
import { useI18n } from '../i18n';

type SignedIn = components['schemas']['LoginResult'];

/** Whether a failed login asks for the second factor (the API names the `totp` field or a TOTP code). */
function needsTotp(err: unknown): boolean {
  return err instanceof ApiFailure && (err.field === 'totp' || /TOTP/i.test(err.code));
}

export function LoginPage({ onSignedIn }: { readonly onSignedIn: (s: SignedIn) => void }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const submit = useAction(async () => {
    try {
      const signed = await unwrap(api.POST('/api/v1/auth/login', { body: { login, password, ...(askTotp && totp ? { totp } : {}) } }));
      onSignedIn(signed);
    } catch (err) {
      if (needsTotp(err)) setAskTotp(true);
      throw err;
    }
  });
  return (
    <main class="main login">
      <form class="card narrow" onSubmit={onSubmit(() => submit.run())} aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <Field label={t('login.username')} value={login} onValue={setLogin} autoComplete="username" required autoFocus />
        <Field label={t('login.password')} value={password} onValue={setPassword} type="password" autoComplete="current-password" required />
        {askTotp ? <Field label={t('login.totp')} value={totp} onValue={setTotp} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" /> : null}
        <ErrorNote error={submit.error} />
        <button type="submit" class="primary" disabled={submit.busy}>
          {t('login.signIn')}
        </button>
      </form>
    </main>
  );
}
