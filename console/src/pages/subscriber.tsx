/**
 * One subscriber, as support sees them on a call: the account's state and since when, the balance and the
 * allowance, the last authentication decisions with their reason, the open sessions (each with Disconnect), the
 * last CoA, and the actions: take a payment, the promised payment (a temporary credit), a live trace, a password
 * reset. Each action shows only when the role has its permission; the API checks it again.
 */
import { useState } from 'preact/hooks';
import { api, call, unwrap, ApiFailure } from '../api/client';
import type { Overview } from '../api/pending';
import type { components } from '../api/schema';
import { CreditForm, PaymentForm } from '../components/forms';
import { ErrorNote, Field, Money, Notice, onSubmit, Section, Table, When, useAction, useLoad } from '../components/ui';
import { formatBytes, formatDuration } from '../format';
import { isKey, useI18n, type Key } from '../i18n';
import { Link, navigate } from '../router';
import { useSession } from '../session';

type Session = components['schemas']['Session'];

async function loadSubscriber(id: number) {
  const subscriber = await unwrap(api.GET('/api/v1/subscribers/{id}', { params: { path: { id } } }));
  const [account, tariff, sessions, decisions] = await Promise.all([
    unwrap(api.GET('/api/v1/accounts/{id}', { params: { path: { id: subscriber.accountId } } })),
    subscriber.tariffId === null ? Promise.resolve(null) : unwrap(api.GET('/api/v1/tariffs/{id}', { params: { path: { id: subscriber.tariffId } } })).catch(() => null),
    unwrap(api.GET('/api/v1/sessions', { params: { query: { username: subscriber.username, active: true, limit: 50 } } })),
    unwrap(api.GET('/api/v1/auth-log', { params: { query: { username: subscriber.username, limit: 10 } } })),
  ]);
  // The last CoA comes with the overview; an API without it leaves the figure out, not the page.
  const overview = await call<Overview>('GET', `/subscribers/${id}/overview`).catch((err: unknown) => (err instanceof ApiFailure ? err : null));
  return { subscriber, account, tariff, sessions: sessions.items, decisions: decisions.items, overview };
}

type Panel = 'none' | 'payment' | 'credit' | 'password';

export function SubscriberPage({ id }: { readonly id: number }) {
  const { t } = useI18n();
  const session = useSession();
  const loaded = useLoad(() => loadSubscriber(id), [id]);
  const [panel, setPanel] = useState<Panel>('none');
  const toggle = (p: Panel) => setPanel((cur) => (cur === p ? 'none' : p));

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  const d = loaded.data;
  if (!d) return <p class="loading">{t('common.loading')}</p>;
  const { subscriber, account } = d;
  const overview = d.overview instanceof ApiFailure ? null : d.overview;

  return (
    <>
      <section class="card" data-section="subscriber">
        <h1>{subscriber.username}</h1>
        <dl class="facts">
          <dt>{t('subscriber.state')}</dt>
          <dd>
            <span class={`badge ${account.state}`} data-field="state">
              {t(`state.${account.state}` as Key)}
            </span>{' '}
            {t('subscriber.since')} <When at={account.stateSince} />
          </dd>
          <dt>{t('subscriber.status')}</dt>
          <dd>{t(`status.${subscriber.status}` as Key)}</dd>
          <dt>{t('account.balance')}</dt>
          <dd data-field="balance">
            <Money minor={account.balance} />
          </dd>
          <dt>{t('account.creditLimit')}</dt>
          <dd>
            <Money minor={account.creditLimit} />
          </dd>
          <dt>{t('account.activeCredit')}</dt>
          <dd>
            <Money minor={account.activeCredit} />
          </dd>
          <dt>{t('subscriber.account')}</dt>
          <dd>
            <Link href={`/billing?account=${account.id}`}>#{account.id}</Link>
          </dd>
          <dt>{t('subscriber.tariff')}</dt>
          <dd>{d.tariff ? d.tariff.name : t('common.none')}</dd>
          <dt>{t('subscriber.staticIp')}</dt>
          <dd>{subscriber.framedIp ?? '—'}</dd>
          <dt>{t('subscriber.mac')}</dt>
          <dd>{subscriber.mac ?? '—'}</dd>
          <dt>{t('subscriber.lastCoa')}</dt>
          <dd data-field="last-coa">{overview?.lastCoa ? <LastCoa coa={overview.lastCoa} /> : '—'}</dd>
        </dl>
        <div class="actions">
          {session.can('payments:write') ? (
            <button type="button" class="primary" aria-expanded={panel === 'payment'} onClick={() => toggle('payment')}>
              {t('subscriber.takePayment')}
            </button>
          ) : null}
          {session.can('credits:write') ? (
            <button type="button" aria-expanded={panel === 'credit'} onClick={() => toggle('credit')}>
              {t('subscriber.promisedPayment')}
            </button>
          ) : null}
          {session.can('trace') ? (
            <button type="button" onClick={() => navigate(`/trace?username=${encodeURIComponent(subscriber.username)}`)}>
              {t('subscriber.liveTrace')}
            </button>
          ) : null}
          {session.can('subscribers:write') ? (
            <button type="button" aria-expanded={panel === 'password'} onClick={() => toggle('password')}>
              {t('subscriber.resetPassword')}
            </button>
          ) : null}
        </div>
        {panel === 'payment' ? <PaymentForm accountId={account.id} onDone={loaded.reload} /> : null}
        {panel === 'credit' ? <CreditForm accountId={account.id} onDone={loaded.reload} defaultReason={t('subscriber.promisedPayment')} /> : null}
        {panel === 'password' ? <PasswordForm id={subscriber.id} /> : null}
      </section>

      <Section title={t('subscriber.openSessions')} id="sessions">
        <SessionsTable rows={d.sessions} onChange={loaded.reload} />
      </Section>

      <Section title={t('subscriber.decisions')} id="decisions">
        <Table
          rows={d.decisions}
          rowKey={(r) => `${r.at}-${r.nas}-${r.result}`}
          columns={[
            { label: t('common.time'), render: (r) => <When at={r.at} /> },
            { label: t('decision.result'), render: (r) => <span class={`badge ${r.result}`}>{t(`decision.${r.result}` as Key)}</span> },
            { label: t('common.reason'), render: (r) => <Reason code={r.reason} /> },
            { label: t('common.nas'), render: (r) => r.nas },
            { label: t('decision.method'), render: (r) => r.method },
          ]}
        />
      </Section>
    </>
  );
}

/** A decision's reason in words, its code kept beside (the auth log's own word, for searching the logs). */
function Reason({ code }: { readonly code: string | null }) {
  const { t } = useI18n();
  if (code === null) return <span>—</span>;
  const key = `reason.${code}`;
  return (
    <span data-reason={code}>
      {isKey(key) ? `${t(key)} (${code})` : code}
    </span>
  );
}

function LastCoa({ coa }: { readonly coa: NonNullable<Overview['lastCoa']> }) {
  return (
    <>
      <When at={coa.at} /> {coa.kind ?? ''} {coa.result ?? ''}
      {coa.errorCause ? ` (${coa.errorCause})` : ''}
    </>
  );
}

/** Open sessions with a Disconnect button each (sessions:disconnect); the NAS's answer is shown as it came. */
export function SessionsTable({ rows, onChange }: { readonly rows: readonly Session[]; readonly onChange?: () => void }) {
  const { t, intl } = useI18n();
  const session = useSession();
  const [outcome, setOutcome] = useState<{ id: number; text: string } | null>(null);
  const disconnect = useAction(async (id: number) => {
    const r = await unwrap(api.POST('/api/v1/sessions/{id}/disconnect', { params: { path: { id } } }));
    setOutcome({ id, text: t('session.disconnected', { result: r.result, attempts: r.attempts }) });
    onChange?.();
  });
  return (
    <>
      <Table
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('session.none')}
        columns={[
          { label: t('session.started'), render: (r) => <When at={r.startedAt} /> },
          { label: t('common.nas'), render: (r) => r.nas },
          { label: t('subscriber.framedIp'), render: (r) => r.framedIp ?? '—' },
          { label: t('session.duration'), render: (r) => formatDuration(r.sessionTime) },
          { label: t('session.traffic'), render: (r) => `↓${formatBytes(r.outputOctets, intl)} ↑${formatBytes(r.inputOctets, intl)}` },
          ...(session.can('sessions:disconnect')
            ? [
                {
                  label: t('common.actions'),
                  render: (r: Session) =>
                    r.stoppedAt === null ? (
                      <button type="button" class="danger" disabled={disconnect.busy} onClick={() => disconnect.run(r.id)}>
                        {t('session.disconnect')}
                      </button>
                    ) : (
                      <When at={r.stoppedAt} />
                    ),
                },
              ]
            : []),
        ]}
      />
      {outcome ? <Notice>{outcome.text}</Notice> : null}
      <ErrorNote error={disconnect.error} />
    </>
  );
}

function PasswordForm({ id }: { readonly id: number }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const save = useAction(async () => {
    await unwrap(api.PATCH('/api/v1/subscribers/{id}', { params: { path: { id } }, body: { password } }));
    setDone(true);
  });
  const generate = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(9));
    setPassword(btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, 'x'));
  };
  if (done) return <Notice>{t('password.saved')}</Notice>;
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('subscriber.resetPassword')}>
      <Field label={t('password.new')} value={password} onValue={setPassword} autoComplete="new-password" required minLength={1} maxLength={128} />
      <div class="actions">
        <button type="button" onClick={generate}>
          {t('password.generate')}
        </button>
        <button type="submit" class="primary" disabled={save.busy}>
          {t('common.save')}
        </button>
      </div>
      <ErrorNote error={save.error} />
    </form>
  );
}
