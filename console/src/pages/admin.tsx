/**
 * Administration: operators (add one, change the role, disable, reset the password; operators:manage), one's
 * API tokens (the secret is shown once, at creation; revoke), and the audit log with its filters (audit:read).
 * Each tab shows only when the role has its permission; the API decides anyway (a link to a tab the role lacks
 * opens it, and the API's 403 is shown as it words it).
 */
import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components, operations } from '../api/schema';
import { Checkbox, ErrorNote, Field, Notice, onSubmit, Section, Select, Table, Tabs, When, useAction, useLoad } from '../components/ui';
import { fromLocalInput } from '../format';
import { useI18n, type Key } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { ROLES, roleAtMost, type Role } from '../../../src/domain/operators';

type Tab = 'operators' | 'tokens' | 'audit';
type Operator = components['schemas']['Operator'];
type ApiToken = components['schemas']['OperatorTokenCreated'];
type AuditEntry = components['schemas']['AuditEntry'];
type AuditQuery = NonNullable<operations['listAuditLog']['parameters']['query']>;

export function AdminPage({ tab }: { readonly tab: string }) {
  const { t } = useI18n();
  const session = useSession();
  const tabs = ([
    ['operators', t('admin.operators'), session.can('operators:manage')],
    ['tokens', t('admin.tokens'), session.can('self')],
    ['audit', t('admin.audit'), session.can('audit:read')],
  ] as const).filter(([, , allowed]) => allowed).map(([k, label]) => [k, label] as const);
  // The tabs shown are the role's; a link to another tab still asks the API, which refuses it (403, shown).
  const active: Tab | undefined = tab === 'operators' || tab === 'tokens' || tab === 'audit' ? tab : tabs[0]?.[0];
  if (!active) return null;
  return (
    <>
      <section class="card">
        <h1>{t('admin.title')}</h1>
        <Tabs label={t('admin.title')} tabs={tabs} active={active} onSelect={(k: Tab) => navigate(`/admin?tab=${k}`, { replace: true })} />
      </section>
      {active === 'operators' ? <Operators /> : null}
      {active === 'tokens' ? <Tokens /> : null}
      {active === 'audit' ? <Audit /> : null}
    </>
  );
}

function useRoleOptions(): readonly (readonly [Role, string])[] {
  const { t } = useI18n();
  return ROLES.map((r) => [r, t(`role.${r}` as Key)] as const);
}

function Operators() {
  const { t } = useI18n();
  const list = useLoad(() => unwrap(api.GET('/api/v1/operators')), []);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<Operator | null>(null);
  const roles = useRoleOptions();
  const change = useAction(async (op: Operator, patch: components['schemas']['OperatorPatch']) => {
    await unwrap(api.PATCH('/api/v1/operators/{id}', { params: { path: { id: op.id } }, body: patch }));
    list.reload();
  });
  return (
    <Section title={t('admin.operators')} id="operators">
      <ErrorNote error={list.error ?? change.error} />
      <Table
        rows={list.data?.items ?? []}
        rowKey={(o) => o.id}
        columns={[
          { label: t('admin.login'), render: (o) => o.login },
          { label: t('admin.displayName'), render: (o) => o.displayName },
          {
            label: t('admin.role'),
            render: (o) => <Select label={t('admin.roleOf', { login: o.login })} value={o.role} options={roles} onValue={(role) => change.run(o, { role })} />,
          },
          { label: t('admin.totp'), render: (o) => (o.totpEnabled ? t('common.yes') : t('common.no')) },
          { label: t('admin.lastLogin'), render: (o) => <When at={o.lastLoginAt} /> },
          {
            label: t('common.actions'),
            render: (o) => (
              <div class="actions">
                <Checkbox label={t('admin.disabled')} checked={o.disabled} onValue={(disabled) => change.run(o, { disabled })} />
                <button type="button" onClick={() => setResetting(o)}>
                  {t('subscriber.resetPassword')}
                </button>
              </div>
            ),
          },
        ]}
      />
      {resetting ? (
        <OperatorPassword
          key={resetting.login}
          operator={resetting}
          onDone={() => {
            setResetting(null);
            list.reload();
          }}
        />
      ) : null}
      <div class="actions">
        <button type="button" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          {t('admin.addOperator')}
        </button>
      </div>
      {adding ? (
        <AddOperator
          onDone={() => {
            setAdding(false);
            list.reload();
          }}
        />
      ) : null}
    </Section>
  );
}

function AddOperator({ onDone }: { readonly onDone: () => void }) {
  const { t } = useI18n();
  const roles = useRoleOptions();
  const [login, setLogin] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [password, setPassword] = useState('');
  const save = useAction(async () => {
    await unwrap(api.POST('/api/v1/operators', { body: { login: login.trim(), displayName: displayName.trim(), role, password } }));
    onDone();
  });
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('admin.addOperator')}>
      <div class="grid">
        <Field label={t('admin.login')} value={login} onValue={setLogin} required autoComplete="off" />
        <Field label={t('admin.displayName')} value={displayName} onValue={setDisplayName} autoComplete="off" />
        <Select label={t('admin.role')} value={role} onValue={setRole} options={roles} />
        <Field label={t('login.password')} value={password} onValue={setPassword} type="password" required autoComplete="new-password" />
      </div>
      <ErrorNote error={save.error} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function OperatorPassword({ operator, onDone }: { readonly operator: Operator; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const save = useAction(async () => {
    await unwrap(api.POST('/api/v1/operators/{id}/password', { params: { path: { id: operator.id } }, body: { password } }));
    onDone();
  });
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('admin.resetFor', { login: operator.login })}>
      <h3>{t('admin.resetFor', { login: operator.login })}</h3>
      <Field label={t('password.new')} value={password} onValue={setPassword} type="password" required autoComplete="new-password" />
      <ErrorNote error={save.error} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function Tokens() {
  const { t } = useI18n();
  const session = useSession();
  // A token's role is at most its owner's (the API refuses more).
  const roles = useRoleOptions().filter(([r]) => roleAtMost(r, session.operator.role));
  const list = useLoad(() => unwrap(api.GET('/api/v1/tokens')), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('readonly');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<ApiToken | null>(null);
  const create = useAction(async () => {
    const token = await unwrap(api.POST('/api/v1/tokens', { body: { name: name.trim(), role, expiresInDays: Number(days) } }));
    setCreated(token);
    setName('');
    list.reload();
  });
  const revoke = useAction(async (id: number) => {
    await unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
    list.reload();
  });
  return (
    <Section title={t('admin.tokens')} id="tokens">
      {created?.token ? (
        <div class="notice" role="status" data-section="new-token">
          <p>{t('token.once')}</p>
          <Field label={t('token.secret')} value={created.token} onValue={() => {}} readOnly />
        </div>
      ) : null}
      <form class="grid" onSubmit={onSubmit(() => create.run())} aria-label={t('token.create')}>
        <Field label={t('common.name')} value={name} onValue={setName} required autoComplete="off" />
        <Select label={t('admin.role')} value={role} onValue={setRole} options={roles} />
        <Field label={t('token.days')} value={days} onValue={setDays} type="number" min={1} max={365} required />
        <div class="field end">
          <button type="submit" class="primary" disabled={create.busy}>
            {t('token.create')}
          </button>
        </div>
      </form>
      <ErrorNote error={create.error ?? revoke.error ?? list.error} />
      <Table
        rows={list.data?.items ?? []}
        rowKey={(k) => k.id}
        columns={[
          { label: t('common.name'), render: (k) => k.name },
          { label: t('admin.role'), render: (k) => t(`role.${k.role}` as Key) },
          { label: t('token.expires'), render: (k) => <When at={k.expiresAt} /> },
          { label: t('token.lastUsed'), render: (k) => <When at={k.lastUsedAt} /> },
          {
            label: t('common.actions'),
            render: (k) =>
              k.revokedAt ? (
                t('token.revoked')
              ) : (
                <button type="button" class="danger" onClick={() => revoke.run(k.id)} aria-label={t('token.revokeNamed', { name: k.name })}>
                  {t('token.revoke')}
                </button>
              ),
          },
        ]}
      />
      {revoke.busy ? <Notice>{t('common.loading')}</Notice> : null}
    </Section>
  );
}

function Audit() {
  const { t } = useI18n();
  const [operator, setOperator] = useState('');
  const [target, setTarget] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filters, setFilters] = useState<AuditQuery>({});
  const [before, setBefore] = useState<number | null>(null);
  const list = useLoad(() => unwrap(api.GET('/api/v1/audit-log', { params: { query: { ...filters, limit: 50, ...(before === null ? {} : { before }) } } })), [filters, before]);
  // The API filters by the operator's id; the field takes a login too (looked up among the operators).
  const apply = useAction(async () => {
    const who = operator.trim();
    let operatorId: number | undefined;
    if (/^\d+$/.test(who)) operatorId = Number(who);
    else if (who) {
      const found = (await unwrap(api.GET('/api/v1/operators'))).items.find((o) => o.login.toLowerCase() === who.toLowerCase());
      if (!found) throw new Error(t('audit.noOperator', { login: who }));
      operatorId = found.id;
    }
    const since = fromLocalInput(from);
    const until = fromLocalInput(to);
    setBefore(null);
    setFilters({
      ...(operatorId === undefined ? {} : { operator: operatorId }),
      ...(target.trim() ? { target: target.trim() } : {}),
      ...(action.trim() ? { action: action.trim() } : {}),
      ...(since ? { from: since } : {}),
      ...(until ? { to: until } : {}),
    });
  });
  return (
    <Section title={t('admin.audit')} id="audit">
      <form class="grid" onSubmit={onSubmit(() => apply.run())} aria-label={t('audit.filters')}>
        <Field label={t('audit.operator')} value={operator} onValue={setOperator} autoComplete="off" />
        <Field label={t('audit.target')} value={target} onValue={setTarget} autoComplete="off" hint="subscriber:42" />
        <Field label={t('audit.action')} value={action} onValue={setAction} autoComplete="off" hint="payment.create" />
        <Field label={t('common.from')} type="datetime-local" value={from} onValue={setFrom} />
        <Field label={t('common.to')} type="datetime-local" value={to} onValue={setTo} />
        <div class="field end">
          <button type="submit" class="primary">
            {t('common.filter')}
          </button>
        </div>
      </form>
      <ErrorNote error={apply.error ?? list.error} />
      <Table
        rows={list.data?.items ?? []}
        rowKey={(e) => e.id}
        columns={[
          { label: t('common.time'), render: (e) => <When at={e.at} /> },
          { label: t('audit.operator'), render: (e) => e.login },
          { label: t('audit.address'), render: (e) => e.address },
          { label: t('audit.action'), render: (e) => e.action },
          { label: t('audit.target'), render: (e) => e.target ?? '—' },
          { label: t('audit.change'), render: (e) => <AuditChange entry={e} /> },
        ]}
      />
      {list.data?.nextBefore ? (
        <button type="button" onClick={() => setBefore(list.data?.nextBefore ?? null)}>
          {t('common.older')}
        </button>
      ) : null}
    </Section>
  );
}

function AuditChange({ entry }: { readonly entry: AuditEntry }) {
  const { t } = useI18n();
  if ((entry.before === undefined || entry.before === null) && (entry.after === undefined || entry.after === null)) return <span>—</span>;
  return (
    <details>
      <summary>{t('audit.show')}</summary>
      <pre class="json">{JSON.stringify({ before: entry.before ?? null, after: entry.after ?? null }, null, 2)}</pre>
    </details>
  );
}
