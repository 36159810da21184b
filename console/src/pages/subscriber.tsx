/**
 * One subscriber, as support sees them on a call: the account's state and since when, the balance and the
 * allowance, the last authentication decisions with their reason, the open sessions (each with Disconnect), the
 * last CoA, and the actions: take a payment, the promised payment (a temporary credit), a live trace, a password
 * reset. Each action shows only when the role has its permission; the API checks it again.
 */
import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { CreditForm, PaymentForm } from '../components/forms';
import { ErrorNote, Field, Money, Notice, onSubmit, Section, Table, When, useAction, useLoad } from '../components/ui';
import { formatBytes, formatDuration } from '../format';
import { isKey, useI18n, type Key } from '../i18n';
import { Link, navigate } from '../router';
import { useSession } from '../session';

type Session = components['schemas']['Session'];

type Coa = components['schemas']['CoaAuditEntry'];

/** GET /subscribers/{id}/overview (state and since when, decisions, open sessions, last CoA) and the tariff. */
async function loadSubscriber(id: number) {
  const overview = await unwrap(api.GET('/api/v1/subscribers/{id}/overview', { params: { path: { id } } }));
  const tariffId = overview.subscriber.tariffId;
  const tariff = tariffId === null ? null : await unwrap(api.GET('/api/v1/tariffs/{id}', { params: { path: { id: tariffId } } })).catch(() => null);
  return { ...overview, tariff };
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
  const { subscriber, account, state } = d;
  const stateReason = `stateReason.${state.reason}`;

  return (
    <>
      <section class="card" data-section="subscriber">
        <h1>{subscriber.username}</h1>
        <dl class="facts">
          <dt>{t('subscriber.state')}</dt>
          <dd>
            <span class={`badge ${state.state}`} data-field="state">
              {t(`state.${state.state}` as Key)}
            </span>{' '}
            {t('subscriber.since')} <When at={state.since} />
          </dd>
          <dt>{t('subscriber.stateReason')}</dt>
          <dd data-field="state-reason">{isKey(stateReason) ? t(stateReason) : state.reason}</dd>
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
          <dd data-field="last-coa">{d.lastCoa ? <LastCoa coa={d.lastCoa} /> : '—'}</dd>
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
        <SessionsTable rows={d.openSessions} onChange={loaded.reload} />
      </Section>

      <Section title={t('subscriber.decisions')} id="decisions">
        <Table
          rows={d.authLog}
          rowKey={(r) => `${r.at}-${r.nas}-${r.result}`}
          columns={[
            { label: t('common.time'), render: (r) => <When at={r.at} /> },
            { label: t('decision.result'), render: (r) => <span class={`badge ${r.result}`}>{t(`decision.${r.result}` as Key)}</span> },
            { label: t('common.reason'), render: (r) => <Reason code={r.reason} text={r.reasonText} /> },
            { label: t('common.nas'), render: (r) => r.nas },
            { label: t('decision.method'), render: (r) => r.method },
          ]}
        />
      </Section>
    </>
  );
}

/**
 * A decision's reason in words (the console's language when it has the reason, else the API's sentence), its
 * code kept beside (the auth log's own word, for searching the logs).
 */
function Reason({ code, text }: { readonly code: string | null; readonly text: string | null }) {
  const { t } = useI18n();
  if (code === null) return <span>—</span>;
  const key = `reason.${code}`;
  const words = isKey(key) ? t(key) : text;
  return <span data-reason={code}>{words ? `${words} (${code})` : code}</span>;
}

/** The newest CoA or Disconnect: when, which request and action, the NAS's answer (and its Error-Cause). */
function LastCoa({ coa }: { readonly coa: Coa }) {
  const { t } = useI18n();
  return (
    <>
      <When at={coa.at} /> {t(`coa.${coa.request}` as Key)} ({coa.action}) → {coa.result}
      {coa.errorCause ? ` (Error-Cause ${coa.errorCause})` : ''} · {coa.nas}
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
