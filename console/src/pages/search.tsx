/**
 * Search: one field for a username, account, IP, MAC or phone (GET /api/v1/search?q=), with the exact username
 * looked up directly as well (GET /api/v1/subscribers?username=), so the subscriber a caller names is one click
 * away. A result opens the subscriber page.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, query, unwrap, ApiFailure } from '../api/client';
import type { SearchHit } from '../api/pending';
import { ErrorNote, Field, onSubmit, Section, Table } from '../components/ui';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';

interface Result {
  readonly subscriberId: number;
  readonly username: string;
  readonly detail: string;
}

async function search(q: string): Promise<{ results: Result[]; error: unknown }> {
  const results = new Map<number, Result>();
  let error: unknown = null;
  const exact = unwrap(api.GET('/api/v1/subscribers', { params: { query: { username: q, limit: 1 } } })).then((page) => {
    for (const s of page.items) results.set(s.id, { subscriberId: s.id, username: s.username, detail: s.status });
  });
  const broad = call<{ items: readonly SearchHit[] }>('GET', `/search${query({ q })}`).then((page) => {
    for (const hit of page.items) {
      const id = hit.subscriberId ?? ((hit.kind ?? hit.type) === 'subscriber' ? hit.id : undefined);
      if (id === undefined || results.has(id)) continue;
      results.set(id, { subscriberId: id, username: hit.username ?? hit.title ?? hit.label ?? `#${id}`, detail: hit.detail ?? hit.matched ?? hit.kind ?? hit.type ?? '' });
    }
  });
  const outcomes = await Promise.allSettled([exact, broad]);
  for (const o of outcomes) if (o.status === 'rejected' && !(o.reason instanceof ApiFailure && o.reason.code === 'VALIDATION_FAILED')) error ??= o.reason;
  return { results: [...results.values()], error: results.size > 0 ? null : error };
}

export function SearchPage({ q }: { readonly q: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(q);
  const [state, setState] = useState<{ results: Result[]; error: unknown; done: boolean }>({ results: [], error: null, done: false });

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
              { label: t('search.matched'), render: (r) => r.detail },
            ]}
          />
        </Section>
      ) : null}
    </>
  );
}
