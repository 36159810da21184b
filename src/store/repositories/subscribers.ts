/**
 * Subscribers and their AAA snapshots. A password is stored twice: as given (CHAP needs the cleartext) and as
 * its NT hash (PAP and MS-CHAPv2 work from the hash alone); an operator without CHAP stores only the hash.
 * Secrets leave the store only through the snapshot* methods, the AAA view.
 *
 * Subscriptions (what the daily fee run charges) follow the subscriber in the same transaction as the subscriber
 * write: a subscriber with a tariff and a status other than 'disabled' has exactly one open-ended subscription
 * (its tariff, its account); a 'suspended' one keeps paying. Days are days of the fee time zone: today, or the
 * `fromDay` the fee scheduler gives when it applies a scheduled tariff change. See docs/schema.md, "Subscription
 * bookkeeping".
 */
import { ntPasswordHash } from '../../auth/mschapv2.js';
import { checkTimeZone, dayInTimeZone, parseDay } from '../../billing/core/calendar.js';
import { FEE_SUBSCRIPTIONS_LOCK_KEY } from './fee-locks.js';
import { SUBSCRIBER_STATUSES, type ScheduledTariffChange, type Subscriber, type SubscriberSnapshot, type SubscriberStatus } from '../../domain/types.js';
import { clampedSql } from '../money.js';
import type { AccountState, SubscriberPatch, SubscriberRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { assignments, pageOf } from '../sql-build.js';
import { isoTime } from '../sql-values.js';
import { checkSubscriber, hostAddress, intInRange, macAddress, nonEmpty, ntHash, oneOf } from '../validate.js';

interface SubscriberRow {
  id: number;
  username: string;
  account_id: number;
  tariff_id: number | null;
  framed_ip: string | null;
  framed_pool: string | null;
  mac: string | null;
  simultaneous_use: number | null;
  status: SubscriberStatus;
  has_cleartext_password: boolean;
  created_at: Date;
  updated_at: Date;
}

interface SnapshotRow {
  id: number;
  username: string;
  status: SubscriberStatus;
  password_cleartext: string | null;
  nt_hash: string | null;
  framed_ip: string | null;
  framed_pool: string | null;
  mac: string | null;
  simultaneous_use: number | null;
  account_id: number;
  balance: number;
  credit_limit: number;
  active_credit: number;
  state: AccountState;
  tariff_id: number | null;
  tariff_name: string | null;
  down_kbps: number | null;
  up_kbps: number | null;
}

const COLUMNS = `id, username, account_id, tariff_id, host(framed_ip) AS framed_ip, framed_pool, mac::text AS mac,
  simultaneous_use, status, password_cleartext IS NOT NULL AS has_cleartext_password, created_at, updated_at`;

// One read for the AAA core: subscriber + account + tariff + Σ unexpired credits.
const SNAPSHOT = `SELECT s.id, s.username, s.status, s.password_cleartext, s.nt_hash, host(s.framed_ip) AS framed_ip,
    s.framed_pool, s.mac::text AS mac, s.simultaneous_use,
    a.id AS account_id, ${clampedSql('a.balance')} AS balance, ${clampedSql('a.credit_limit')} AS credit_limit, a.state,
    ${clampedSql('coalesce(cr.active_credit, 0)')} AS active_credit,
    t.id AS tariff_id, t.name AS tariff_name, t.down_kbps, t.up_kbps
  FROM subscribers s
  JOIN accounts a ON a.id = s.account_id
  LEFT JOIN tariffs t ON t.id = s.tariff_id
  LEFT JOIN LATERAL (
    SELECT sum(c.amount) AS active_credit FROM credits c WHERE c.account_id = a.id AND c.expires_at > now()
  ) cr ON true`;

const PATCH_COLUMNS = {
  username: 'username',
  password: 'password_cleartext',
  ntHash: 'nt_hash',
  accountId: 'account_id',
  tariffId: 'tariff_id',
  framedIp: 'framed_ip',
  framedPool: 'framed_pool',
  mac: 'mac',
  simultaneousUse: 'simultaneous_use',
  status: 'status',
} as const;

function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    username: row.username,
    accountId: row.account_id,
    tariffId: row.tariff_id,
    framedIp: row.framed_ip,
    framedPool: row.framed_pool,
    mac: row.mac,
    simultaneousUse: row.simultaneous_use,
    status: row.status,
    hasCleartextPassword: row.has_cleartext_password,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

function toSnapshot(row: SnapshotRow): SubscriberSnapshot {
  return {
    subscriberId: row.id,
    username: row.username,
    status: row.status,
    password: row.password_cleartext,
    ntHash: row.nt_hash,
    framedIp: row.framed_ip,
    framedPool: row.framed_pool,
    mac: row.mac,
    simultaneousUse: row.simultaneous_use,
    accountId: row.account_id,
    balance: row.balance,
    creditLimit: row.credit_limit,
    activeCredit: row.active_credit,
    accountState: row.state,
    tariff:
      row.tariff_id === null
        ? null
        : { id: row.tariff_id, name: row.tariff_name ?? '', downKbps: row.down_kbps ?? 0, upKbps: row.up_kbps ?? 0 },
  };
}

/**
 * The column values of a create or patch, validated and normalised. `password` sets the cleartext and the
 * NT hash; `ntHash` alone sets the hash and clears the cleartext (which would no longer match it).
 */
function columnValues(input: SubscriberPatch): Record<string, unknown> {
  checkSubscriber(input);
  const values: Record<string, unknown> = {};
  if (input.username !== undefined) values.username = nonEmpty('username', input.username);
  if (input.password !== undefined) {
    values.password = input.password;
    values.ntHash = ntPasswordHash(input.password).toString('hex');
  } else if (input.ntHash !== undefined) {
    values.password = null;
    values.ntHash = ntHash('ntHash', input.ntHash);
  }
  if (input.accountId !== undefined) values.accountId = input.accountId;
  if (input.tariffId !== undefined) values.tariffId = input.tariffId;
  if (input.framedIp !== undefined) values.framedIp = input.framedIp === null ? null : hostAddress('framedIp', input.framedIp);
  if (input.framedPool !== undefined) values.framedPool = input.framedPool;
  if (input.mac !== undefined) values.mac = input.mac === null ? null : macAddress('mac', input.mac);
  if (input.simultaneousUse !== undefined) {
    values.simultaneousUse =
      input.simultaneousUse === null ? null : intInRange('simultaneousUse', input.simultaneousUse, 1, 2_147_483_647);
  }
  if (input.status !== undefined) values.status = oneOf('status', input.status, SUBSCRIBER_STATUSES);
  return values;
}

export interface SubscriberRepositoryOptions {
  /** IANA time zone of fee days (default 'UTC'); must equal the fee scheduler's. */
  readonly feeTimeZone?: string;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** What a subscriber should be paying for: its tariff on its account, unless it has none or is disabled. */
function wantedSubscription(row: SubscriberRow): { tariffId: number; accountId: number } | null {
  return row.tariff_id !== null && row.status !== 'disabled' ? { tariffId: row.tariff_id, accountId: row.account_id } : null;
}

/**
 * Ends the subscriptions of a subscriber that still charge on or after `today`. The last charged day becomes
 * yesterday, or the last day already charged when the fee run charged today (a day is never charged twice for
 * one subscriber); a subscription left with no day at all (activated today, not yet charged) is deleted.
 */
const END_SUBSCRIPTIONS = /* sql */ `
  WITH open AS (
    SELECT s.id, s.activated_on,
           greatest($2::date - 1, (SELECT max(c.fee_day) FROM charges c WHERE c.subscription_id = s.id)) AS last_day
    FROM subscriptions s
    WHERE s.subscriber_id = $1 AND (s.ends_on IS NULL OR s.ends_on >= $2::date)
  ), gone AS (
    DELETE FROM subscriptions s USING open o WHERE s.id = o.id AND o.last_day < o.activated_on RETURNING s.id
  )
  UPDATE subscriptions s SET ends_on = o.last_day FROM open o WHERE s.id = o.id AND o.last_day >= o.activated_on`;

/** Opens a subscription from `today`, or from the day after the subscriber's last charged day if that is later. */
const OPEN_SUBSCRIPTION = /* sql */ `
  INSERT INTO subscriptions (account_id, subscriber_id, tariff_id, activated_on)
  SELECT $2, $1, $3, greatest($4::date, (SELECT max(ends_on) + 1 FROM subscriptions WHERE subscriber_id = $1))`;

/**
 * Makes the subscriber's subscriptions match `row` (inside the subscriber write's transaction, after
 * lockSubscriptions): nothing when its one open-ended subscription already has the wanted tariff and account;
 * else the open ones end (END_SUBSCRIPTIONS) and the wanted one opens from today.
 */
async function syncSubscriptions(tx: Sql, subscriberId: number, row: SubscriberRow | null, today: string): Promise<void> {
  const wanted = row && wantedSubscription(row);
  const open = await tx.query<{ tariff_id: number; account_id: number; ends_on: string | null }>(
    `SELECT tariff_id, account_id, ends_on FROM subscriptions
     WHERE subscriber_id = $1 AND (ends_on IS NULL OR ends_on >= $2::date) ORDER BY id FOR UPDATE`,
    [subscriberId, today],
  );
  if (wanted === null && open.length === 0) return;
  const [only] = open;
  if (wanted && open.length === 1 && only && only.ends_on === null && only.tariff_id === wanted.tariffId && only.account_id === wanted.accountId) return;
  if (open.length > 0) await tx.query(END_SUBSCRIPTIONS, [subscriberId, today]);
  if (wanted) await tx.query(OPEN_SUBSCRIPTION, [subscriberId, wanted.accountId, wanted.tariffId, today]);
}

/**
 * Shared with other subscription changes, exclusive with a fee chunk: a chunk never charges from a subscription
 * this transaction is ending, and this transaction sees every fee charge committed before it.
 */
export async function lockSubscriptions(tx: Sql): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [FEE_SUBSCRIPTIONS_LOCK_KEY]);
}

/** A pending tariff_changes row with its tariff's name (tariff-changes.ts reads them too). */
export interface PendingTariffChangeRow {
  subscriber_id: number;
  tariff_id: number;
  tariff_name: string;
  effective_on: string;
}

/** Pending: neither applied nor cancelled (the predicate of tariff_changes_pending_key), on alias `tc`. */
export const PENDING_TARIFF_CHANGE = 'tc.applied_at IS NULL AND tc.cancelled_at IS NULL';

export function toScheduledTariffChange(row: PendingTariffChangeRow): ScheduledTariffChange {
  return { tariffId: row.tariff_id, tariffName: row.tariff_name, effectiveOn: row.effective_on };
}

/**
 * Cancels the pending scheduled tariff change of a subscriber whose row the caller holds; the cancelled change, or
 * null. An immediate tariff change cancels it here (the operator's latest decision wins), and so do the API's
 * DELETE and a newer schedule (tariff-changes.ts).
 */
export async function cancelPendingTariffChange(tx: Sql, subscriberId: number): Promise<ScheduledTariffChange | null> {
  const [row] = await tx.query<PendingTariffChangeRow>(
    `WITH cancelled AS (
       UPDATE tariff_changes tc SET cancelled_at = now() WHERE tc.subscriber_id = $1 AND ${PENDING_TARIFF_CHANGE}
       RETURNING tc.subscriber_id, tc.tariff_id, tc.effective_on
     )
     SELECT c.subscriber_id, c.tariff_id, t.name AS tariff_name, c.effective_on FROM cancelled c JOIN tariffs t ON t.id = c.tariff_id`,
    [subscriberId],
  );
  return row ? toScheduledTariffChange(row) : null;
}

async function getSubscriber(sql: Sql, id: number): Promise<Subscriber | undefined> {
  const [row] = await sql.query<SubscriberRow>(`SELECT ${COLUMNS} FROM subscribers WHERE id = $1`, [id]);
  return row && toSubscriber(row);
}

export function subscriberRepository(sql: Sql, options: SubscriberRepositoryOptions = {}): SubscriberRepository {
  const timeZone = checkTimeZone(options.feeTimeZone ?? 'UTC');
  const now = options.now ?? (() => new Date());
  const today = (): string => dayInTimeZone(now(), timeZone);
  return {
    list(page, filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.username !== undefined) {
        params.push(filter.username);
        where.push(`username = $${params.length}`);
      }
      if (filter.accountId !== undefined) {
        params.push(filter.accountId);
        where.push(`account_id = $${params.length}`);
      }
      const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
      return pageOf(
        sql,
        page,
        { text: `SELECT ${COLUMNS} FROM subscribers${clause}`, params },
        `SELECT count(*) AS total FROM subscribers${clause}`,
        toSubscriber,
      );
    },
    get: (id) => getSubscriber(sql, id),
    async create(input) {
      const values = { password: null, ntHash: null, tariffId: null, framedIp: null, framedPool: null, mac: null, simultaneousUse: null, status: 'active', ...columnValues(input) };
      const columns = Object.values(PATCH_COLUMNS);
      const params = Object.keys(PATCH_COLUMNS).map((key) => values[key as keyof typeof values] ?? null);
      const text = `INSERT INTO subscribers (${columns.join(', ')}) VALUES (${columns.map((_c, i) => `$${i + 1}`).join(', ')}) RETURNING ${COLUMNS}`;
      if (values.tariffId === null || values.status === 'disabled') {
        const [plain] = await sql.query<SubscriberRow>(text, params);
        return toSubscriber(plain!);
      }
      const day = today();
      const row = await sql.transaction(async (tx) => {
        await lockSubscriptions(tx);
        const [inserted] = await tx.query<SubscriberRow>(text, params);
        await syncSubscriptions(tx, inserted!.id, inserted!, day);
        return inserted!;
      });
      return toSubscriber(row);
    },
    async update(id, patch, options = {}) {
      const params: unknown[] = [id];
      const values = columnValues(patch);
      const sets = assignments(values, PATCH_COLUMNS, params);
      if (sets.length === 0) return getSubscriber(sql, id);
      const text = `UPDATE subscribers SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`;
      if (values.tariffId === undefined && values.status === undefined && values.accountId === undefined) {
        const [plain] = await sql.query<SubscriberRow>(text, params);
        return plain && toSubscriber(plain);
      }
      const day = options.fromDay ?? today();
      parseDay(day);
      const row = await sql.transaction(async (tx) => {
        await lockSubscriptions(tx);
        const [before] = values.tariffId === undefined ? [] : await tx.query<{ tariff_id: number | null }>('SELECT tariff_id FROM subscribers WHERE id = $1 FOR UPDATE', [id]);
        const [updated] = await tx.query<SubscriberRow>(text, params);
        if (updated) await syncSubscriptions(tx, id, updated, day);
        // A tariff changed now overrides what was scheduled for later (the scheduler's own application has already
        // claimed its row, so this finds nothing to cancel then).
        if (updated && before && before.tariff_id !== updated.tariff_id) await cancelPendingTariffChange(tx, id);
        return updated;
      });
      return row && toSubscriber(row);
    },
    async delete(id) {
      const day = today();
      return sql.transaction(async (tx) => {
        await lockSubscriptions(tx);
        const gone = await tx.query('SELECT id FROM subscribers WHERE id = $1 FOR UPDATE', [id]);
        if (gone.length === 0) return false;
        // Ended while subscriber_id still points at the subscriber (the delete sets it to null).
        await syncSubscriptions(tx, id, null, day);
        await tx.query('DELETE FROM subscribers WHERE id = $1', [id]);
        return true;
      });
    },
    async snapshot(username) {
      const [row] = await sql.query<SnapshotRow>(`${SNAPSHOT} WHERE s.username = $1`, [username]);
      return row && toSnapshot(row);
    },
    async snapshotsOfAccount(accountId) {
      return (await sql.query<SnapshotRow>(`${SNAPSHOT} WHERE s.account_id = $1 ORDER BY s.id`, [accountId])).map(toSnapshot);
    },
    async *snapshotBatches(batchSize) {
      intInRange('batchSize', batchSize, 1, 100_000);
      // Keyset pagination: each batch starts after the last id seen, so every batch is an index range scan.
      let after = 0;
      for (;;) {
        const rows = await sql.query<SnapshotRow>(`${SNAPSHOT} WHERE s.id > $1 ORDER BY s.id LIMIT $2`, [after, batchSize]);
        if (rows.length === 0) return;
        yield rows.map(toSnapshot);
        if (rows.length < batchSize) return;
        after = rows[rows.length - 1]!.id;
      }
    },
  };
}
