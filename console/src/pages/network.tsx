/**
 * The network: NAS clients with their Message-Authenticator state (BlastRADIUS) and when each was last heard
 * from, tariffs (edit one in place), open sessions, who had an IP address at an instant, and the reply a
 * subscriber would get from a NAS (the reply preview).
 */
import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Checkbox, ErrorNote, Field, Money, Notice, onSubmit, Section, Table, Tabs, When, useAction, useLoad, useSettings } from '../components/ui';
import { fromLocalInput, toLocalInput } from '../format';
import { useI18n, type Key } from '../i18n';
import { formatMoney, minorDigits, minorToDecimal, parseMoney } from '../money';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { SessionsTable } from './subscriber';

type Tab = 'nas' | 'tariffs' | 'sessions' | 'ip' | 'preview';
const TABS: readonly Tab[] = ['nas', 'tariffs', 'sessions', 'ip', 'preview'];

export function NetworkPage({ tab }: { readonly tab: string }) {
  const { t } = useI18n();
  const active: Tab = (TABS as readonly string[]).includes(tab) ? (tab as Tab) : 'nas';
  return (
    <>
      <section class="card">
        <h1>{t('network.title')}</h1>
        <Tabs
          label={t('network.title')}
          active={active}
          onSelect={(k) => navigate(`/network?tab=${k}`, { replace: true })}
          tabs={[
            ['nas', t('network.nas')],
            ['tariffs', t('network.tariffs')],
            ['sessions', t('network.sessions')],
            ['ip', t('network.ipLookup')],
            ['preview', t('network.preview')],
          ]}
        />
      </section>
      {active === 'nas' ? <NasList /> : null}
      {active === 'tariffs' ? <Tariffs /> : null}
      {active === 'sessions' ? <OpenSessions /> : null}
      {active === 'ip' ? <IpLookup /> : null}
      {active === 'preview' ? <Preview /> : null}
    </>
  );
}

function NasList() {
  const { t } = useI18n();
  const list = useLoad(() => unwrap(api.GET('/api/v1/nas', { params: { query: { limit: 1000 } } })), []);
  // Last seen comes from the NAS status; without it the column says so rather than hiding the list.
  const status = useLoad(() => unwrap(api.GET('/api/v1/nas-status')), []);
  const seen = new Map((status.data?.items ?? []).map((s) => [s.name, s.lastSeenAt]));
  const ma = (n: components['schemas']['Nas']) => {
    const setting = n.requireMessageAuthenticator === 'auto' ? t('nas.auto') : n.requireMessageAuthenticator ? t('common.yes') : t('common.no');
    const inForce = n.messageAuthenticator.required ? t('nas.required') : t('nas.notRequired');
    return `${setting} · ${inForce}${n.messageAuthenticator.seenAt ? '' : ''}`;
  };
  return (
    <Section title={t('network.nas')} id="nas">
      <ErrorNote error={list.error} />
      <Table
        rows={list.data?.items ?? []}
        rowKey={(n) => n.id}
        columns={[
          { label: t('common.name'), render: (n) => n.name },
          { label: t('nas.address'), render: (n) => n.address },
          { label: t('nas.vendor'), render: (n) => n.vendor },
          { label: t('nas.messageAuthenticator'), render: (n) => ma(n) },
          { label: t('nas.maSeen'), render: (n) => <When at={n.messageAuthenticator.seenAt} /> },
          { label: t('nas.lastSeen'), render: (n) => (status.error ? t('nas.statusUnavailable') : <When at={seen.get(n.name) ?? null} />) },
        ]}
      />
      {status.error ? <ErrorNote error={status.error} /> : null}
    </Section>
  );
}

type Tariff = components['schemas']['Tariff'];

function Tariffs() {
  const { t } = useI18n();
  const session = useSession();
  const list = useLoad(() => unwrap(api.GET('/api/v1/tariffs', { params: { query: { limit: 1000 } } })), []);
  const [editing, setEditing] = useState<Tariff | null>(null);
  return (
    <Section title={t('network.tariffs')} id="tariffs">
      <ErrorNote error={list.error} />
      <Table
        rows={list.data?.items ?? []}
        rowKey={(r) => r.id}
        columns={[
          { label: t('common.name'), render: (r) => r.name },
          { label: t('tariff.monthlyFee'), render: (r) => <Money minor={r.monthlyFee} />, className: 'num' },
          { label: t('tariff.speed'), render: (r) => `${r.downKbps || '∞'} / ${r.upKbps || '∞'} kbit/s` },
          { label: t('tariff.pricePerGB'), render: (r) => <Money minor={r.pricePerGB} />, className: 'num' },
          ...(session.can('network:write')
            ? [
                {
                  label: t('common.actions'),
                  render: (r: Tariff) => (
                    <button type="button" onClick={() => setEditing(r)} aria-label={t('tariff.editNamed', { name: r.name })}>
                      {t('common.edit')}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? (
        <TariffForm
          key={editing.id}
          tariff={editing}
          onDone={() => {
            setEditing(null);
            list.reload();
          }}
        />
      ) : null}
    </Section>
  );
}

function TariffForm({ tariff, onDone }: { readonly tariff: Tariff; readonly onDone: () => void }) {
  const { t, intl } = useI18n();
  const { currency } = useSettings();
  const digits = minorDigits(currency);
  const [name, setName] = useState(tariff.name);
  const [fee, setFee] = useState(minorToDecimal(tariff.monthlyFee, digits));
  const [perGB, setPerGB] = useState(minorToDecimal(tariff.pricePerGB, digits));
  const [down, setDown] = useState(String(tariff.downKbps));
  const [up, setUp] = useState(String(tariff.upKbps));
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAction(async () => {
    const money = (text: string) => (text.trim() === '' || /^0*([.,]0*)?$/.test(text.trim()) ? ({ ok: true, minor: 0 } as const) : parseMoney(text, digits));
    const f = money(fee);
    const g = money(perGB);
    if (!f.ok || !g.ok || !/^\d+$/.test(down) || !/^\d+$/.test(up)) {
      setProblem(t('tariff.problem'));
      return;
    }
    setProblem(null);
    await unwrap(api.PATCH('/api/v1/tariffs/{id}', { params: { path: { id: tariff.id } }, body: { name: name.trim(), monthlyFee: f.minor, pricePerGB: g.minor, downKbps: Number(down), upKbps: Number(up) } }));
    onDone();
  });
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('tariff.editNamed', { name: tariff.name })}>
      <h3>{t('tariff.editNamed', { name: tariff.name })}</h3>
      <div class="grid">
        <Field label={t('common.name')} value={name} onValue={setName} required maxLength={128} />
        <Field label={t('tariff.monthlyFee')} value={fee} onValue={setFee} inputMode="decimal" hint={formatMoney(tariff.monthlyFee, currency, intl)} />
        <Field label={t('tariff.pricePerGB')} value={perGB} onValue={setPerGB} inputMode="decimal" />
        <Field label={t('tariff.down')} value={down} onValue={setDown} inputMode="numeric" />
        <Field label={t('tariff.up')} value={up} onValue={setUp} inputMode="numeric" />
      </div>
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
      <ErrorNote error={save.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function OpenSessions() {
  const { t } = useI18n();
  const [activeOnly, setActiveOnly] = useState(true);
  const [username, setUsername] = useState('');
  const [filter, setFilter] = useState('');
  const list = useLoad(() => unwrap(api.GET('/api/v1/sessions', { params: { query: { active: activeOnly, limit: 100, ...(filter ? { username: filter } : {}) } } })), [activeOnly, filter]);
  return (
    <Section title={t('network.sessions')} id="sessions">
      <form class="inline" onSubmit={onSubmit(() => setFilter(username.trim()))}>
        <Field label={t('subscriber.username')} value={username} onValue={setUsername} autoComplete="off" />
        <Checkbox label={t('session.activeOnly')} checked={activeOnly} onValue={setActiveOnly} />
        <button type="submit">{t('common.filter')}</button>
      </form>
      <ErrorNote error={list.error} />
      {list.data ? <p class="muted">{t('common.total', { n: list.data.total })}</p> : null}
      <SessionsTable rows={list.data?.items ?? []} onChange={list.reload} />
    </Section>
  );
}

function IpLookup() {
  const { t } = useI18n();
  const [ip, setIp] = useState('');
  const [at, setAt] = useState(toLocalInput(new Date()));
  const [result, setResult] = useState<components['schemas']['Session'][] | null>(null);
  const find = useAction(async () => {
    const when = fromLocalInput(at);
    const page = await unwrap(api.GET('/api/v1/sessions', { params: { query: { ip: ip.trim(), ...(when ? { at: when } : {}) } } }));
    setResult(page.items);
  });
  return (
    <Section title={t('network.ipLookup')} id="ip-lookup">
      <form class="grid" onSubmit={onSubmit(() => find.run())}>
        <Field label={t('ip.address')} value={ip} onValue={setIp} required autoComplete="off" inputMode="decimal" />
        <Field label={t('ip.at')} type="datetime-local" value={at} onValue={setAt} required step={1} />
        <div class="field end">
          <button type="submit" class="primary" disabled={find.busy}>
            {t('ip.find')}
          </button>
        </div>
      </form>
      <ErrorNote error={find.error} />
      {result ? (
        <Table
          rows={result}
          rowKey={(r) => r.id}
          empty={t('ip.nobody')}
          columns={[
            { label: t('subscriber.username'), render: (r) => (r.subscriberId ? <Link href={`/subscribers/${r.subscriberId}`}>{r.username}</Link> : r.username) },
            { label: t('common.nas'), render: (r) => r.nas },
            { label: t('session.started'), render: (r) => <When at={r.startedAt} /> },
            { label: t('session.stopped'), render: (r) => <When at={r.stoppedAt} /> },
            { label: t('session.callingStation'), render: (r) => r.callingStationId ?? '—' },
          ]}
        />
      ) : null}
    </Section>
  );
}

function Preview() {
  const { t } = useI18n();
  const [subscriber, setSubscriber] = useState('');
  const [nas, setNas] = useState('');
  const [preview, setPreview] = useState<components['schemas']['ReplyPreview'] | null>(null);
  const run = useAction(async () => {
    const name = subscriber.trim();
    let id = /^\d+$/.test(name) ? Number(name) : undefined;
    if (id === undefined) {
      const page = await unwrap(api.GET('/api/v1/subscribers', { params: { query: { username: name, limit: 1 } } }));
      id = page.items[0]?.id;
      if (id === undefined) throw new Error(t('preview.noSubscriber', { name }));
    }
    setPreview(await unwrap(api.GET('/api/v1/subscribers/{id}/reply-preview', { params: { path: { id }, query: nas.trim() ? { nas: nas.trim() } : {} } })));
  });
  return (
    <Section title={t('network.preview')} id="reply-preview">
      <form class="grid" onSubmit={onSubmit(() => run.run())}>
        <Field label={t('preview.subscriber')} value={subscriber} onValue={setSubscriber} required autoComplete="off" />
        <Field label={t('common.nas')} value={nas} onValue={setNas} autoComplete="off" />
        <div class="field end">
          <button type="submit" class="primary" disabled={run.busy}>
            {t('preview.show')}
          </button>
        </div>
      </form>
      <ErrorNote error={run.error} />
      {preview ? (
        <>
          <Notice>
            <span data-field="preview-result">
              {preview.code} · {t(`decision.${preview.result}` as Key)}
            </span>
            {preview.reasonText ? ` — ${preview.reasonText}` : ''} · {preview.nas.name} ({preview.nas.vendor})
          </Notice>
          <dl class="attrs">
            {preview.attributes.map((a, i) => (
              <div key={i}>
                <dt>
                  {a.vendor ? `${a.vendor} ` : ''}
                  {a.name}
                  {a.tag === undefined ? '' : `:${a.tag}`}
                </dt>
                <dd>{a.value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </Section>
  );
}
