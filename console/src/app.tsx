/**
 * The console's shell: settings and the signed-in operator are loaded first (GET /console/settings.json,
 * GET /api/v1/auth/me), then the layout with the navigation the role allows, the language switch, and the page of
 * the current route. Any 401 brings the login back.
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiFailure, setCsrfToken, setUnauthorizedHandler, unwrap } from './api/client';
import { SettingsContext, ErrorNote, type Settings } from './components/ui';
import { I18nContext, LOCALES, initialLocale, storeLocale, translator, useI18n, type Key, type Locale } from './i18n';
import { AdminPage } from './pages/admin';
import { BillingPage } from './pages/billing';
import { LoginPage } from './pages/login';
import { NetworkPage } from './pages/network';
import { SearchPage } from './pages/search';
import { SubscriberPage } from './pages/subscriber';
import { TracePage } from './pages/trace';
import { Link, match, navigate, useLocation } from './router';
import { SessionContext, sessionOf, useSession, type Operator, type Session } from './session';
import type { Permission } from '../../src/domain/operators';

/** A page loaded on first use: the dashboard brings uPlot, which the other pages do not need. */
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (Component) return;
      load().then(
        (c) => {
          loaded = c;
          setComponent(() => c);
        },
        setError,
      );
    }, []);
    if (error) return <ErrorNote error={error} />;
    return Component ? <Component {...props} /> : null;
  };
}

const DashboardPage = lazyPage(() => import('./pages/dashboard').then((m) => m.DashboardPage));

type Auth = { readonly state: 'loading' } | { readonly state: 'signed-out' } | { readonly state: 'signed-in'; readonly operator: Operator } | { readonly state: 'failed'; readonly error: unknown };

async function loadSettings(): Promise<Settings> {
  const res = await fetch('/console/settings.json', { credentials: 'same-origin' });
  if (!res.ok) return { currency: 'USD' };
  const body = (await res.json()) as Partial<Settings>;
  return { currency: typeof body.currency === 'string' ? body.currency : 'USD' };
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const i18n = useMemo(() => translator(locale), [locale]);
  const [settings, setSettings] = useState<Settings>({ currency: 'USD' });
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });

  useEffect(() => {
    document.documentElement.lang = locale;
    storeLocale(locale);
  }, [locale]);

  useEffect(() => {
    setUnauthorizedHandler(() => setAuth({ state: 'signed-out' }));
    loadSettings().then(setSettings, () => {});
    unwrap(api.GET('/api/v1/auth/me')).then(
      (me) => {
        // A session's CSRF token comes again with who-am-I: a reload (or a new tab) can still change things.
        if (me.csrfToken) setCsrfToken(me.csrfToken);
        setAuth({ state: 'signed-in', operator: me.operator ?? { login: me.login, displayName: me.login, role: me.role } });
      },
      (error: unknown) => setAuth(error instanceof ApiFailure && error.status === 401 ? { state: 'signed-out' } : { state: 'failed', error }),
    );
  }, []);

  const session = useMemo(
    () =>
      auth.state === 'signed-in'
        ? sessionOf(auth.operator, () => {
            api.POST('/api/v1/auth/logout').then(
              () => {},
              () => {},
            );
            setCsrfToken(null);
            setAuth({ state: 'signed-out' });
          })
        : null,
    [auth],
  );

  let body: ComponentChildren;
  if (auth.state === 'loading') body = <p class="loading">{i18n.t('common.loading')}</p>;
  else if (auth.state === 'failed') body = <ErrorNote error={auth.error} />;
  else if (auth.state === 'signed-out' || !session) {
    body = (
      <LoginPage
        onSignedIn={(signed) => {
          setCsrfToken(signed.csrfToken);
          setAuth({ state: 'signed-in', operator: signed.operator });
        }}
      />
    );
  } else {
    body = (
      <SessionContext.Provider value={session}>
        <Layout>
          <Page />
        </Layout>
      </SessionContext.Provider>
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <SettingsContext.Provider value={settings}>
        <div class="shell">
          <header class="top">
            <span class="brand">Tollgate</span>
            <LanguageSwitch locale={locale} onLocale={setLocale} />
            {session ? <Who session={session} /> : null}
          </header>
          {body}
        </div>
      </SettingsContext.Provider>
    </I18nContext.Provider>
  );
}

function LanguageSwitch({ locale, onLocale }: { readonly locale: Locale; readonly onLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  return (
    <div class="lang">
      <label for="language">{t('nav.language')}</label>
      <select id="language" value={locale} onChange={(e) => onLocale(e.currentTarget.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {l === 'en' ? 'English' : 'Русский'}
          </option>
        ))}
      </select>
    </div>
  );
}

function Who({ session }: { readonly session: Session }) {
  const { t } = useI18n();
  return (
    <div class="who">
      <span>
        {session.operator.displayName || session.operator.login} · {t(`role.${session.operator.role}` as Key)}
      </span>
      <button type="button" class="link" onClick={session.signOut}>
        {t('nav.signOut')}
      </button>
    </div>
  );
}

const NAV: readonly { readonly href: string; readonly key: Key; readonly needs: readonly Permission[] }[] = [
  { href: '/', key: 'nav.search', needs: ['read'] },
  { href: '/dashboard', key: 'nav.dashboard', needs: ['read'] },
  { href: '/billing', key: 'nav.billing', needs: ['read'] },
  { href: '/network', key: 'nav.network', needs: ['read'] },
  { href: '/trace', key: 'nav.trace', needs: ['trace'] },
  { href: '/admin', key: 'nav.admin', needs: ['operators:manage', 'audit:read', 'self'] },
];

function Layout({ children }: { readonly children: ComponentChildren }) {
  const { t } = useI18n();
  const session = useSession();
  const { path } = useLocation();
  const active = (href: string) => (href === '/' ? path === '/' || path.startsWith('/search') || path.startsWith('/subscribers') : path.startsWith(href));
  return (
    <>
      <nav class="nav" aria-label={t('nav.label')}>
        <ul>
          {NAV.filter((n) => n.needs.some((p) => session.can(p))).map((n) => (
            <li key={n.href}>
              <Link href={n.href} {...(active(n.href) ? { 'aria-current': 'page' as const, class: 'current' } : {})}>
                {t(n.key)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main class="main">{children}</main>
    </>
  );
}

function Page() {
  const { path, query } = useLocation();
  const { t } = useI18n();
  if (path === '/' || path === '/search') return <SearchPage q={query.get('q') ?? ''} />;
  if (path === '/login') {
    navigate('/', { replace: true });
    return null;
  }
  const sub = match('/subscribers/:id', path);
  if (sub) return <SubscriberPage id={Number(sub.id)} />;
  if (path === '/trace') return <TracePage username={query.get('username') ?? ''} nas={query.get('nas') ?? ''} />;
  if (path === '/billing') return <BillingPage accountId={Number(query.get('account') ?? '') || null} />;
  if (path === '/network') return <NetworkPage tab={query.get('tab') ?? 'nas'} />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/admin') return <AdminPage tab={query.get('tab') ?? ''} />;
  return (
    <section class="card">
      <h1>{t('common.notFound')}</h1>
      <Link href="/">{t('nav.search')}</Link>
    </section>
  );
}
