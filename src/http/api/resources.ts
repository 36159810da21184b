/**
 * The four CRUD resources: their writable fields (the shared schema's, src/schema/resources.ts: validator + OpenAPI),
 * read-only fields (returned, refused on write with a reason), list filters, store bindings and the change event
 * each write publishes.
 */
import type { Permission } from '../../domain/operators.js';
import { ACCOUNT_STATES, type Account, type Nas, type Page, type ScheduledTariffChange, type Subscriber, type Tariff } from '../../domain/types.js';
import type { ChangeEvent, PageRequest, Store } from '../../domain/ports.js';
import { messageAuthenticatorCountsOf, type MessageAuthenticatorCounts } from '../../observability/metrics.js';
import {
  accountFields,
  nasFields,
  nasMessageAuthenticatorJsonSchema,
  subscriberCrossCheck,
  subscriberFields,
  subscriberFilters,
  subscriberPatchOptions,
  tariffFields,
  type NasMessageAuthenticator,
} from '../../schema/index.js';
import { ApiError, type FieldIssue } from './errors.js';
import type { JsonSchema } from './fields.js';
import type { BodyMode, CreateOf, PatchOf, Shape } from './validate.js';

/** A field the API returns but never accepts. `message` is the answer to a client that tries to write it. */
export interface ReadOnlyField {
  readonly schema: JsonSchema;
  readonly message: string;
}

export interface Repository<E, C, P, F, O = Record<never, never>> {
  list(page: PageRequest, filter: F): Promise<Page<E>>;
  get(id: number): Promise<E | undefined>;
  create(input: C): Promise<E>;
  /** `options`: the request-only patch options of the body (ResourceDef.patchOptions), defaults applied. */
  update(id: number, patch: P, options: O): Promise<E | undefined>;
  delete(id: number): Promise<boolean>;
}

/** Who writes through a resource's repository (an operator's id is recorded on rows that keep it). */
export interface ResourceWriter {
  /** null: the bootstrap admin token. */
  readonly operatorId: number | null;
}

export interface ResourceDef<E extends { readonly id: number }, S extends Shape, F extends Shape, O extends Shape = Record<never, never>> {
  /** The path segment under /api/v1 (`nas`, `tariffs`, …). */
  readonly path: string;
  /** What creating, changing and deleting one needs (reading needs `read`). */
  readonly writePermission: Permission;
  /** The OpenAPI schema name (`Nas`, `Tariff`, …) and the tag. */
  readonly schemaName: string;
  /** For messages: "no NAS client with id 7". */
  readonly title: string;
  /** The audit log's name: actions `<name>.create|update|delete`, targets `<name>:<id>`. */
  readonly auditName: string;
  readonly description: string;
  readonly fields: S;
  readonly readOnly: Readonly<Record<string, ReadOnlyField>>;
  readonly filters: F;
  /** Rules across fields, run after every field is valid on its own. */
  crossCheck?(input: PatchOf<S>, mode: BodyMode): FieldIssue[];
  /**
   * Request-only fields of a PATCH body that say how to make the change rather than what to store (the
   * subscriber's `effective`): validated and documented with the body, refused on create, never returned; the
   * repository's update receives them apart from the patch, with their defaults.
   */
  readonly patchOptions?: O;
  /** Rules across a patch and its options, run once both are valid. */
  checkPatchOptions?(patch: PatchOf<S>, options: CreateOf<O>): FieldIssue[];
  /** `writer`: who writes, for the writes that record it (given by the routes that write). */
  repository(store: Store, writer?: ResourceWriter): Repository<E, CreateOf<S>, PatchOf<S>, CreateOf<F>, CreateOf<O>>;
  /** The event after a write of `row` (the created, updated or deleted row); `previous` is the row before an update. */
  changeEvent(row: E, previous: E | undefined): ChangeEvent;
}

const timestampSchema = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const idField: ReadOnlyField = { schema: { type: 'integer', minimum: 1, description: 'Assigned by the server.' }, message: 'id is assigned by the server and cannot be written' };
const timestamps: Record<string, ReadOnlyField> = {
  createdAt: { schema: timestampSchema('When the row was created (UTC).'), message: 'createdAt is set by the server' },
  updatedAt: { schema: timestampSchema('When the row last changed (UTC).'), message: 'updatedAt is set by the server' },
};

/** Lists with an in-memory page when the repository returns everything (the NAS table is small by nature). */
function pageOf<T>(all: readonly T[], page: PageRequest): Page<T> {
  return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, limit: page.limit, offset: page.offset };
}

/**
 * A NAS row with what its responses say about Message-Authenticator: the requirement in force (auto: from the
 * stored sighting, which the RADIUS role writes moments after the first valid one) and the counts (this
 * process's, or a cluster primary's workers' summed).
 */
export type NasView = Nas & { readonly messageAuthenticator: NasMessageAuthenticator };

export function nasView(row: Nas, counts: MessageAuthenticatorCounts | null): NasView {
  const setting = row.requireMessageAuthenticator;
  return {
    ...row,
    messageAuthenticator: {
      required: setting === 'auto' ? row.messageAuthenticatorSeenAt !== null : setting,
      seenAt: row.messageAuthenticatorSeenAt,
      counts,
    },
  };
}

async function nasViews(rows: readonly Nas[]): Promise<NasView[]> {
  const counts = await messageAuthenticatorCountsOf(rows.map((r) => r.name));
  return rows.map((r) => nasView(r, counts.get(r.name) ?? null));
}

async function oneNasView(row: Nas | undefined): Promise<NasView | undefined> {
  return row && (await nasViews([row]))[0];
}

export const nasResource: ResourceDef<NasView, typeof nasFields, Record<never, never>> = {
  path: 'nas',
  auditName: 'nas',
  writePermission: 'network:write',
  schemaName: 'Nas',
  title: 'NAS client',
  description: 'RADIUS clients (BRAS, BNG, access points): who may send requests and with which secret.',
  fields: nasFields,
  readOnly: {
    id: idField,
    messageAuthenticator: {
      schema: nasMessageAuthenticatorJsonSchema,
      message: 'messageAuthenticator is reported by the server: set requireMessageAuthenticator (true, false or auto)',
    },
    ...timestamps,
  },
  filters: {},
  repository: (store) => ({
    list: async (page) => {
      const all = await store.nas.list();
      const shown = pageOf(all, page);
      return { ...shown, items: await nasViews(shown.items) };
    },
    get: async (id) => oneNasView(await store.nas.get(id)),
    create: async (input) => (await oneNasView(await store.nas.create(input)))!,
    update: async (id, patch) => oneNasView(await store.nas.update(id, patch)),
    delete: (id) => store.nas.delete(id),
  }),
  changeEvent: () => ({ kind: 'nas' }),
};

export const tariffResource: ResourceDef<Tariff, typeof tariffFields, Record<never, never>> = {
  path: 'tariffs',
  auditName: 'tariff',
  writePermission: 'network:write',
  schemaName: 'Tariff',
  title: 'tariff',
  description: 'Rate plans: fees, prices and rate limits. Money is integer minor units.',
  fields: tariffFields,
  readOnly: { id: idField, ...timestamps },
  filters: {},
  repository: (store) => ({
    list: (page) => store.tariffs.list(page),
    get: (id) => store.tariffs.get(id),
    create: (input) => store.tariffs.create(input),
    update: (id, patch) => store.tariffs.update(id, patch),
    delete: (id) => store.tariffs.delete(id),
  }),
  changeEvent: (row) => ({ kind: 'tariff', id: row.id }),
};

const BALANCE_READ_ONLY = 'balance is read-only: payments, adjustments and charges change balances, not the accounts API';

export const accountResource: ResourceDef<Account, typeof accountFields, Record<never, never>> = {
  path: 'accounts',
  auditName: 'account',
  writePermission: 'accounts:write',
  schemaName: 'Account',
  title: 'account',
  description: 'Billing accounts: one balance shared by one or more subscribers.',
  fields: accountFields,
  readOnly: {
    id: idField,
    balance: { schema: { type: 'integer', description: 'Integer minor units. Changed by payments, adjustments and charges only.' }, message: BALANCE_READ_ONLY },
    activeCredit: { schema: { type: 'integer', minimum: 0, description: 'Sum of unexpired temporary credits (minor units).' }, message: 'activeCredit is the sum of temporary credits and cannot be written' },
    state: { schema: { type: 'string', enum: ACCOUNT_STATES, description: 'Derived from balance and credit.' }, message: 'state is read-only: it is derived from balance, creditLimit and active credits' },
    stateSince: { schema: timestampSchema('When the current state began.'), message: 'stateSince is set by the server' },
    ...timestamps,
  },
  filters: {},
  repository: (store) => ({
    list: (page) => store.accounts.list(page),
    get: (id) => store.accounts.get(id),
    create: (input) => store.accounts.create(input),
    update: (id, patch) => store.accounts.update(id, patch),
    delete: (id) => store.accounts.delete(id),
  }),
  changeEvent: (row) => ({ kind: 'account', id: row.id }),
};

/** A subscriber as the API shows it: with the tariff change scheduled for the next period, if any. */
export type SubscriberView = Subscriber & { readonly scheduledTariffChange: ScheduledTariffChange | null };

/** The component schema of a scheduled tariff change (merged into the OpenAPI document). */
export const SCHEDULED_TARIFF_CHANGE_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ScheduledTariffChange: {
    type: 'object',
    description: 'A tariff change scheduled for the next period (PATCH with effective "next-period"); the fee run applies it before it charges effectiveOn.',
    properties: {
      tariffId: { type: 'integer', minimum: 1 },
      tariffName: { type: 'string' },
      effectiveOn: { type: 'string', format: 'date', description: 'The first fee day on the new tariff (a day of the fee time zone).' },
    },
    required: ['tariffId', 'tariffName', 'effectiveOn'],
  },
};

/** Each subscriber with its pending scheduled change (one query for the lot). */
export async function subscriberViews(store: Store, rows: readonly Subscriber[]): Promise<SubscriberView[]> {
  const pending = await store.tariffChanges.pending(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, scheduledTariffChange: pending.get(r.id) ?? null }));
}

async function subscriberView(store: Store, row: Subscriber | undefined): Promise<SubscriberView | undefined> {
  return row && (await subscriberViews(store, [row]))[0];
}

/**
 * `effective: "next-period"`: the other fields of the patch change now, the tariff is scheduled (the store checks
 * it against the current tariff under the subscriber's row lock). Runs in the route's audited transaction, so a
 * refused schedule also undoes the fields changed now.
 */
async function scheduleTariffChange(store: Store, id: number, patch: PatchOf<typeof subscriberFields>, writer: ResourceWriter | undefined): Promise<SubscriberView | undefined> {
  const { tariffId, ...now } = patch;
  if (typeof tariffId !== 'number') throw new TypeError('checkPatchOptions lets next-period through only with a tariffId');
  const row = Object.keys(now).length > 0 ? await store.subscribers.update(id, now) : await store.subscribers.get(id);
  if (!row) return undefined;
  const result = await store.tariffChanges.schedule({ subscriberId: id, tariffId, operatorId: writer?.operatorId ?? null });
  switch (result.kind) {
    case 'no-subscriber':
      return undefined;
    case 'no-current-tariff':
      throw ApiError.validation([{ field: 'effective', message: 'the subscriber has no tariff yet: a first tariff takes effect now (effective "now", the default)' }]);
    case 'same-tariff':
      throw ApiError.validation([{ field: 'tariffId', message: `tariff ${tariffId} is the subscriber's current tariff: nothing to schedule (DELETE /api/v1/subscribers/${id}/scheduled-tariff-change cancels a scheduled change)` }]);
    case 'scheduled':
      return { ...row, scheduledTariffChange: result.change };
  }
}

export const subscriberResource: ResourceDef<SubscriberView, typeof subscriberFields, typeof subscriberFilters, typeof subscriberPatchOptions> = {
  path: 'subscribers',
  auditName: 'subscriber',
  writePermission: 'subscribers:write',
  schemaName: 'Subscriber',
  title: 'subscriber',
  description: 'RADIUS users: credentials, bindings and the account and tariff they belong to.',
  fields: subscriberFields,
  readOnly: {
    id: idField,
    hasCleartextPassword: {
      schema: { type: 'boolean', description: 'Whether a cleartext password is stored (CHAP needs one); the credentials themselves are never returned.' },
      message: 'hasCleartextPassword is derived: set password or ntHash instead',
    },
    scheduledTariffChange: {
      schema: {
        anyOf: [{ $ref: '#/components/schemas/ScheduledTariffChange' }, { type: 'null' }],
        description: 'The tariff change scheduled for the next period, or null. PATCH with tariffId and effective "next-period" schedules one; DELETE /api/v1/subscribers/{id}/scheduled-tariff-change cancels it.',
      },
      message: 'scheduledTariffChange is read-only: PATCH tariffId with effective "next-period" to schedule a change',
    },
    ...timestamps,
  },
  filters: subscriberFilters,
  crossCheck: (input, mode) => subscriberCrossCheck(input, mode).map(({ key, message }) => ({ field: key, message })),
  patchOptions: subscriberPatchOptions,
  checkPatchOptions(patch, { effective }) {
    if (effective !== 'next-period') return [];
    if (patch.tariffId === undefined) return [{ field: 'effective', message: 'effective "next-period" schedules a tariff change: give tariffId too' }];
    if (patch.tariffId === null) return [{ field: 'tariffId', message: 'removing the tariff (null) takes effect now: drop effective "next-period"' }];
    return [];
  },
  repository: (store, writer) => ({
    list: async (page, filter) => {
      const shown = await store.subscribers.list(page, filter);
      return { ...shown, items: await subscriberViews(store, shown.items) };
    },
    get: async (id) => subscriberView(store, await store.subscribers.get(id)),
    create: async (input) => ({ ...(await store.subscribers.create(input)), scheduledTariffChange: null }),
    update: async (id, patch, { effective }) =>
      effective === 'next-period' ? scheduleTariffChange(store, id, patch, writer) : subscriberView(store, await store.subscribers.update(id, patch)),
    delete: (id) => store.subscribers.delete(id),
  }),
  changeEvent(row, previous) {
    // Caches are keyed by username: a rename must drop the old name as well as load the new one.
    const usernames = previous && previous.username !== row.username ? [previous.username, row.username] : [row.username];
    return { kind: 'subscriber', id: row.id, usernames };
  },
};

/** Any resource, for code that treats them alike (routes, OpenAPI); each is type-checked where it is defined. */
export type AnyResource = ResourceDef<{ readonly id: number }, Shape, Shape, Shape>;

export const RESOURCES: readonly AnyResource[] = [nasResource, tariffResource, accountResource, subscriberResource];

/** The properties a response carries, in order: id, the writable fields that are not secret, the read-only rest. */
export function outputKeys(def: AnyResource): string[] {
  const writable = Object.entries(def.fields).filter(([, f]) => !f.writeOnly).map(([k]) => k);
  const readOnly = Object.keys(def.readOnly);
  return ['id', ...writable, ...readOnly.filter((k) => k !== 'id')];
}

/**
 * Builds the response mapper for a resource: an allow-list of the output keys, so a column the store adds (or a
 * secret) never reaches a client unless a field here declares it.
 */
export function responseMapper(def: AnyResource): (row: object) => Record<string, unknown> {
  const keys = outputKeys(def);
  return (row) => {
    const out: Record<string, unknown> = {};
    const source = row as Record<string, unknown>;
    for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
    return out;
  };
}
