/**
 * Search: one field for a username, account, IP, MAC or phone (GET /api/v1/search?q=), with the exact username
 * looked up directly as well (GET /api/v1/subscribers?username=), so the subscriber a caller names is one click
 * away. A result opens the subscriber page.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, query, unwrap, ApiFailure } from '../api/client';
import type { components } from '../api/schema';
import { ErrorNote, Field, onSubmit, Section, Table } from '../components/ui';
import { useI18n, type Key } from '../i18n';
import { Link, navigate } from '../router';

type Hit = components['schemas']['SearchHit'];

async function search(q: string): Promise<{ results: Hit[]; error: unknown }> {
  const results = new Map<number, Hit>();
  let error: unknown = null;
  // The search's hits first (each says what it matched by); the exact username adds one it did not find.
  const broad = unwrap(api.GET('/api/v1/search', { params: { query: { q } } })).then((page) => {
    for (const hit of page.items) results.set(hit.subscriberId, hit);
  });
  const exact = unwrap(api.GET('/api/v1/subscribers', { params: { query: { username: q, limit: 1 } } }));
  const outcomes = await Promise.allSettled([broad, exact]);
  const [, exactOutcome] = outcomes;
  if (exactOutcome.status === 'fulfilled') {
    for (const s of exactOutcome.value.items) {
      if (results.has(s.id)) continue;
      const account = await unwrap(api.GET('/api/v1/accounts/{id}', { params: { path: { id: s.accountId } } })).catch(() => null);
      results.set(s.id, { subscriberId: s.id, username: s.username, accountId: s.accountId, accountState: account?.state ?? 'active', matchedBy: 'login' });
    }
  }
  for (const o of outcomes) if (o.status === 'rejected' && !(o.reason instanceof ApiFailure && o.reason.code === 'VALIDATION_FAILED')) error ??= o.reason;
  return { results: [...results.values()], error: results.size > 0 ? null : error };
}

export function SearchPage({ q }: { readonly q: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(q);
  const [state, setState] = useState<{ results: Hit[]; error: unknown; done: boolean }>({ results: [], error: null, done: false });

  useEffect(() => {
    setText(q);
    if (!q.trim()) {
      setState({ results: [], error: null, done: false });
      return;
    }
    let live = true;
    search(q.trim()).then((r) => live && setState({ ...r, done: true }), () => {});
    return () => {
      live = false;
    };
  }, [q]);

  return (
    <>
      <form class="card search" role="search" onSubmit={onSubmit(() => navigate(`/search${query({ q: text.trim() })}`))}>
        <h1>{t('search.title')}</h1>
        <div class="inline">
          <Field label={t('search.label')} value={text} onValue={setText} type="search" autoFocus hint={t('search.hint')} />
          <button type="submit" class="primary">
            {t('search.go')}
          </button>
        </div>
      </form>
      {state.done ? (
        <Section title={t('search.results')} id="results">
          <ErrorNote error={state.error} />
          <Table
            rows={state.results}
            rowKey={(r) => r.subscriberId}
            empty={t('search.nothing')}
            columns={[
              { label: t('subscriber.username'), render: (r) => <Link href={`/subscribers/${r.subscriberId}`}>{r.username}</Link> },
              { label: t('search.matched'), render: (r) => t(`matched.${r.matchedBy}` as Key) },
              { label: t('subscriber.account'), render: (r) => <Link href={`/billing?account=${r.accountId}`}>#{r.accountId}</Link> },
              { label: t('subscriber.state'), render: (r) => <span class={`badge ${r.accountState}`}>{t(`state.${r.accountState}` as Key)}</span> },
            ]}
          />
        </Section>
      ) : null}
    </>
  );
}
