/**
 * Rating: a batch of accounting records → sessions, charges, usage_monthly, balances and held records, inside
 * the caller's transaction. The rating pass (accountingRatingRepository, driven by billing/rater.ts) calls it with
 * the records of journal rows (journal.ts), in journal order; the rules themselves, and which rows a batch reads and
 * writes, are in billing/core/session-rules.ts (docs/accounting.md, "Rules of rating").
 *
 * Session identity. A session is (NAS, NAS epoch, Acct-Session-Id). `sessions.acct_unique_id` of the *current*
 * session of a key is `<length of NAS name>:<NAS name>:<Acct-Session-Id>` (the length prefix keeps "a:b"+"c"
 * and "a"+"b:c" apart). When a record for the key arrives in a later epoch of its NAS (an Accounting-On/Off
 * came between), the old row is archived by renaming its key to `<key>#<row id>` and a new row takes the plain
 * key, so the unique constraint still holds and the look-up stays an index probe on it.
 *
 * Locking. The caller holds the cluster-wide rating lock (RATER_LOCK below): rating transactions never run
 * concurrently, so no two of them race to create the same session key or rate the same counters. Other writers
 * of the same rows are row-locked against:
 *  1. `SELECT … FOR UPDATE` of the current session rows (the stale-session sweep skips locked rows; the CoA
 *     bookkeeping writes only `coa_state`, which rating writes only when it inserts a session);
 *  2. `SELECT … FOR UPDATE` of the charged accounts in id order (as rederiveAccountStates and every other
 *     balance writer — payments, fees — does), then of their usage_monthly rows.
 */
import { rederiveAccountStates } from '../account-state.js';
import { isDataError as isDatabaseDataError } from '../db-errors.js';
import type { AccountingRecord, AccountStateChange, RatingRules, RatingStats } from '../../domain/accounting.js';
import type { AccountingRatingStore, FailedRatingPass, HeldReason, RatingPassResult, SessionChanges } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import {
  addLoadedSession,
  addUsageMonths,
  applyRecord,
  batchAccountIds,
  batchCharges,
  batchNeeds,
  batchUsernames,
  batchWrites,
  emptyBatch,
  heldCounts,
  usageMonthsOf,
  type Batch,
  type Session,
} from '../../billing/core/session-rules.js';
import { decodeRecords, encodeRecord, JournalFormatError } from './journal-codec.js';
import { claimJournalRows, deleteJournalRows, journalBacklog, journalRowsUpTo, newestJournalRow, rejectJournalRecord, rewriteJournalRow } from './journal.js';
import { SESSION_COLUMNS, type SessionRow } from './sessions.js';
import { StatementBuilder } from './statement-builder.js';

function sessionOf(row: SessionRow): Session {
  return {
    id: row.id,
    key: row.acct_unique_id,
    archived: false,
    nas: row.nas_name,
    acctSessionId: row.acct_session_id,
    epoch: Number(row.nas_epoch),
    username: row.username,
    subscriberId: row.subscriber_id,
    accountId: row.account_id,
    framedIp: row.framed_ip,
    callingStationId: row.calling_station_id,
    nasPort: row.nas_port,
    startedAt: new Date(row.started_at),
    updatedAt: new Date(row.updated_at),
    stoppedAt: row.stopped_at === null ? null : new Date(row.stopped_at),
    terminateCause: row.terminate_cause,
    final: row.final,
    firstSeenAt: new Date(row.first_seen_at),
    lastSeenAt: new Date(row.last_seen_at),
    firstSessionTime: BigInt(row.first_session_time),
    input: BigInt(row.input_octets),
    output: BigInt(row.output_octets),
    sessionTime: BigInt(row.session_time),
    ratedOctets: BigInt(row.rated_octets),
    ratedSeconds: BigInt(row.rated_seconds),
    chargedTraffic: BigInt(row.charged_traffic),
    chargedTime: BigInt(row.charged_time),
    lastStatus: row.last_status,
    answered: null,
    dirty: false,
    traffic: 0n,
    time: 0n,
    chargeAccountId: null,
  };
}

/** What one rating transaction did, beyond its rows. */
export interface BatchResult {
  /** Account state transitions, and accounts with a new session whose service disagrees with their state. */
  readonly changes: AccountStateChange[];
  readonly stats: RatingStats;
  readonly held: Readonly<Record<HeldReason, number>>;
  readonly sessions: SessionChanges;
}

/**
 * Rates `records` (in this order) inside `tx` under `rules`. The caller must hold the rating lock (see the
 * module comment): two of these at once could both insert a session key.
 */
export async function rateBatch(tx: Sql, records: readonly AccountingRecord[], rules: RatingRules): Promise<BatchResult> {
  const needs = batchNeeds(records);
  const batch = emptyBatch();

  // 1. Current sessions of the keys, and the sessions approved records were held for; locked.
  if (needs.keys.length > 0 || needs.approvedIds.length > 0) {
    const rows = await tx.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.acct_unique_id = ANY($1::text[]) OR s.id = ANY($2::bigint[]) ORDER BY s.id FOR UPDATE`,
      [needs.keys, needs.approvedIds],
    );
    for (const row of rows) addLoadedSession(batch, sessionOf(row));
  }
  const loadedIds = batch.all.map((s) => s.id as number);

  // 2. NAS epochs of every NAS in the batch.
  if (needs.nasNames.length > 0) {
    const rows = await tx.query<{ nas_name: string; epoch: string }>('SELECT nas_name, epoch::text FROM accounting_nas_epochs WHERE nas_name = ANY($1::text[])', [needs.nasNames]);
    for (const row of rows) batch.epochs.set(row.nas_name, Number(row.epoch));
  }

  // 3. Subscribers and tariffs; lock their accounts in id order, then their usage months.
  const usernames = batchUsernames(batch, needs);
  if (usernames.length > 0) {
    const subs = await tx.query<{ id: number; username: string; account_id: number; ppg: string; inc: string; ppm: string }>(
      `SELECT s.id, s.username, s.account_id, coalesce(t.price_per_gb, 0)::text AS ppg,
              coalesce(t.included_bytes, 0)::text AS inc, coalesce(t.price_per_minute, 0)::text AS ppm
       FROM subscribers s LEFT JOIN tariffs t ON t.id = s.tariff_id WHERE s.username = ANY($1::text[])`,
      [usernames],
    );
    for (const s of subs) {
      batch.subscribers.set(s.username, {
        id: s.id,
        accountId: s.account_id,
        pricePerGB: BigInt(s.ppg),
        includedBytes: BigInt(s.inc),
        pricePerMinute: BigInt(s.ppm),
      });
    }
  }
  const accountIds = batchAccountIds(batch);
  if (accountIds.length > 0) {
    await tx.query('SELECT id FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [accountIds]);
    await loadUsage(tx, batch, usageMonthsOf(batch, needs, rules));
  }

  // 4. Apply in arrival order (in memory).
  for (const r of records) applyRecord(batch, r, rules);

  // 5. Write. Accounting-On/Off first: sessions of the NAS not held in memory; then the new epochs.
  for (const c of batch.nasCloses) {
    await tx.query(
      `UPDATE sessions SET stopped_at = greatest(started_at, $2::timestamptz), terminate_cause = 'NAS-Reboot', last_status = 'stop',
         final = true, updated_at = greatest(updated_at, $2::timestamptz)
       WHERE nas_name = $1 AND stopped_at IS NULL AND NOT (id = ANY($3::bigint[]))`,
      [c.nas, c.at.toISOString(), loadedIds],
    );
  }
  if (batch.epochsChanged.size > 0) {
    const names = [...batch.epochsChanged];
    await tx.query(
      `INSERT INTO accounting_nas_epochs (nas_name, epoch) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (nas_name) DO UPDATE SET epoch = EXCLUDED.epoch, changed_at = now()`,
      [names, names.map((n) => batch.epochs.get(n) ?? 0)],
    );
  }
  // Fresh sessions first (their ids are needed by the charges and holds), then every other write of the batch
  // (session updates, charges, balances, usage months, holds) as one statement of data-modifying CTEs: one
  // round trip. An archived row must give its key up before a fresh row takes it (the unique constraint is
  // checked per row): then the update of existing rows runs on its own, first.
  const { existing, fresh, archiving, usage } = batchWrites(batch);
  if (archiving) {
    const first = new StatementBuilder();
    first.add(updateSessionsSql(first, existing));
    await first.run(tx);
  }
  if (fresh.length > 0) await insertSessions(tx, fresh);
  const writes = new StatementBuilder();
  if (!archiving && existing.length > 0) writes.add(updateSessionsSql(writes, existing));
  if (batch.held.length > 0) {
    const h = batch.held;
    writes.add(
      `INSERT INTO accounting_held (session_id, account_id, nas_name, acct_session_id, username, reason, octets, seconds, elapsed_seconds, record)
       SELECT * FROM unnest(${writes.p(h.map((x) => x.session.id))}::bigint[], ${writes.p(h.map((x) => x.session.accountId))}::bigint[],
         ${writes.p(h.map((x) => x.record.nas))}::text[], ${writes.p(h.map((x) => x.record.acctSessionId))}::text[],
         ${writes.p(h.map((x) => x.record.username))}::text[], ${writes.p(h.map((x) => x.reason))}::text[],
         ${writes.p(h.map((x) => String(x.octets)))}::numeric[], ${writes.p(h.map((x) => String(x.seconds)))}::numeric[],
         ${writes.p(h.map((x) => (x.elapsedMs / 1000).toFixed(3)))}::numeric[], ${writes.p(h.map((x) => JSON.stringify(encodeRecord(x.record))))}::text[])`,
    );
  }

  const { charges, byAccount } = batchCharges(batch);
  if (charges.length > 0) {
    writes.add(
      `INSERT INTO charges (account_id, kind, amount, session_id)
       SELECT * FROM unnest(${writes.p(charges.map((c) => c.accountId))}::bigint[], ${writes.p(charges.map((c) => c.kind))}::text[],
         ${writes.p(charges.map((c) => String(c.amount)))}::bigint[], ${writes.p(charges.map((c) => c.sessionId))}::bigint[])`,
    );
  }
  if (usage.length > 0) {
    writes.add(
      `INSERT INTO usage_monthly (subscriber_id, month, account_id, octets, seconds, charged_traffic)
       SELECT * FROM unnest(${writes.p(usage.map((u) => u.subscriberId))}::bigint[], ${writes.p(usage.map((u) => u.month))}::date[],
         ${writes.p(usage.map((u) => u.accountId))}::bigint[], ${writes.p(usage.map((u) => String(u.octets)))}::bigint[],
         ${writes.p(usage.map((u) => String(u.seconds)))}::bigint[], ${writes.p(usage.map((u) => String(u.charged)))}::bigint[])
       ON CONFLICT (subscriber_id, month) DO UPDATE SET account_id = EXCLUDED.account_id, octets = EXCLUDED.octets,
         seconds = EXCLUDED.seconds, charged_traffic = EXCLUDED.charged_traffic, updated_at = now()`,
    );
  }
  if (byAccount.size > 0) {
    const ids = [...byAccount.keys()].sort((a, b) => a - b);
    const idsParam = writes.p(ids);
    writes.add(
      `UPDATE accounts a SET balance = a.balance - d.amount
       FROM unnest(${idsParam}::bigint[], ${writes.p(ids.map((i) => String(byAccount.get(i))))}::bigint[]) AS d(id, amount)
       WHERE a.id = d.id AND a.id = ANY(${idsParam}::bigint[])`,
    );
  }
  await writes.run(tx);
  const changes = byAccount.size > 0 ? await rederiveAccountStates(tx, [...byAccount.keys()], 'charge') : [];
  // A new session told something other than what its account's state now asks for (the subscriber paid
  // between the redirect and the Start): announce the account, so the reconciler sends the restore now.
  const freshIds = fresh.filter((s) => s.accountId !== null && s.stoppedAt === null).map((s) => s.id as number);
  if (freshIds.length > 0) {
    const mismatched = await tx.query<{ id: number; state: AccountStateChange['state'] }>(
      `SELECT DISTINCT a.id, a.state FROM sessions s JOIN accounts a ON a.id = s.account_id
       WHERE s.id = ANY($1::bigint[]) AND s.coa_state <> CASE a.state WHEN 'blocked' THEN 'restricted' ELSE 'normal' END`,
      [freshIds],
    );
    const known = new Set(changes.map((c) => c.accountId));
    for (const m of mismatched) if (!known.has(m.id)) changes.push({ accountId: m.id, state: m.state });
  }
  return { changes, stats: batch.stats, held: heldCounts(batch), sessions: sessionChangesOf(batch) };
}

/**
 * The open sessions the batch changed, for Simultaneous-Use in memory (aaa/open-sessions.ts): what it wrote of
 * each session row it touched, and the NAS whose Accounting-On/Off closed rows it did not load. A row that gave
 * its key to a newer epoch is closed as far as counting goes (the counting query skips it too).
 */
export function sessionChangesOf(batch: Batch): SessionChanges {
  const closed: [number, string][] = [];
  const open: [number, string, string, number][] = [];
  for (const s of batch.all) {
    if (s.id === null || !s.dirty) continue;
    if (s.stoppedAt !== null || s.archived || s.epoch < (batch.epochs.get(s.nas) ?? 0)) closed.push([s.id, s.username]);
    else open.push([s.id, s.username, s.nas, Math.ceil(s.updatedAt.getTime() / 1000)]);
  }
  return { nasRestarts: [...new Set(batch.nasCloses.map((c) => c.nas))], closed, open };
}

/** Loads (and locks) the usage months the batch may rate into it. */
async function loadUsage(tx: Sql, batch: Batch, months: ReturnType<typeof usageMonthsOf>): Promise<void> {
  if (months.length === 0) return;
  const rows = await tx.query<{ subscriber_id: number; month: string; octets: string; seconds: string; charged_traffic: string }>(
    `SELECT m.subscriber_id, m.month::text AS month, m.octets::text, m.seconds::text, m.charged_traffic::text
     FROM usage_monthly m JOIN unnest($1::bigint[], $2::date[]) AS w(subscriber_id, month)
       ON m.subscriber_id = w.subscriber_id AND m.month = w.month
     WHERE m.subscriber_id = ANY($1::bigint[])
     ORDER BY m.subscriber_id, m.month FOR UPDATE OF m`,
    [months.map((p) => p.subscriberId), months.map((p) => p.month)],
  );
  addUsageMonths(
    batch,
    months,
    rows.map((r) => ({ subscriberId: r.subscriber_id, month: r.month, octets: BigInt(r.octets), seconds: BigInt(r.seconds), charged: BigInt(r.charged_traffic) })),
  );
}

function sessionArrays(list: readonly Session[]) {
  return [
    list.map((s) => s.username),
    list.map((s) => s.subscriberId),
    list.map((s) => s.accountId),
    list.map((s) => s.framedIp),
    list.map((s) => s.callingStationId),
    list.map((s) => s.nasPort),
    list.map((s) => s.startedAt.toISOString()),
    list.map((s) => s.updatedAt.toISOString()),
    list.map((s) => (s.stoppedAt === null ? null : s.stoppedAt.toISOString())),
    list.map((s) => s.terminateCause),
    list.map((s) => String(s.input)),
    list.map((s) => String(s.output)),
    list.map((s) => String(s.sessionTime)),
    list.map((s) => String(s.ratedOctets)),
    list.map((s) => String(s.ratedSeconds)),
    list.map((s) => String(s.chargedTraffic)),
    list.map((s) => String(s.chargedTime)),
    list.map((s) => s.lastStatus),
    list.map((s) => s.final),
    list.map((s) => s.lastSeenAt.toISOString()),
    list.map((s) => String(s.firstSessionTime)),
  ];
}

const SESSION_TYPES = [
  'text', 'bigint', 'bigint', 'inet', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'text', 'bigint', 'bigint', 'bigint',
  'bigint', 'bigint', 'bigint', 'bigint', 'text', 'boolean', 'timestamptz', 'bigint',
] as const;
const SESSION_FIELDS = `username, subscriber_id, account_id, framed_ip, calling_station_id, nas_port, started_at, updated_at,
  stopped_at, terminate_cause, input_octets, output_octets, session_time, rated_octets, rated_seconds, charged_traffic,
  charged_time, last_status, final, last_seen_at, first_session_time`;
const FIELD_NAMES = SESSION_FIELDS.split(',').map((f) => f.trim());

/** The UPDATE of existing session rows, its parameters added to `b`. */
function updateSessionsSql(b: StatementBuilder, list: readonly Session[]): string {
  const uniqueIds = list.map((s) => (s.archived ? `${s.key}#${s.id}` : s.key));
  const args = sessionArrays(list).map((a, i) => `${b.p(a)}::${SESSION_TYPES[i]}[]`);
  const ids = b.p(list.map((s) => s.id));
  return `UPDATE sessions s SET acct_unique_id = v.acct_unique_id, ${FIELD_NAMES.map((f) => `${f} = v.${f}`).join(', ')}
     FROM unnest(${args.join(', ')}, ${ids}::bigint[], ${b.p(uniqueIds)}::text[]) AS v(${SESSION_FIELDS}, id, acct_unique_id)
     WHERE s.id = v.id AND s.id = ANY(${ids}::bigint[])`;
}

async function insertSessions(tx: Sql, list: readonly Session[]): Promise<void> {
  // A row archived within its own batch needs its id in its key: insert it under a temporary key first.
  const tempKeys = list.map((s, i) => (s.archived ? `${s.key}#new${i}` : s.key));
  const b = new StatementBuilder();
  const args = sessionArrays(list).map((a, i) => `${b.p(a)}::${SESSION_TYPES[i]}[]`);
  const extra = [
    `${b.p(tempKeys)}::text[]`,
    `${b.p(list.map((s) => s.nas))}::text[]`,
    `${b.p(list.map((s) => s.acctSessionId))}::text[]`,
    `${b.p(list.map((s) => s.epoch))}::bigint[]`,
    `${b.p(list.map((s) => s.firstSeenAt.toISOString()))}::timestamptz[]`,
    `${b.p(list.map((s) => (s.answered === null ? null : s.answered)))}::text[]`,
  ];
  // Without a Class echo, a new session is taken to have been answered as its account's state says now.
  b.add(
    `INSERT INTO sessions (acct_unique_id, nas_id, nas_name, acct_session_id, nas_epoch, first_seen_at, coa_state, ${SESSION_FIELDS})
     SELECT v.acct_unique_id, (SELECT n.id FROM nas n WHERE n.name = v.nas_name), v.nas_name, v.acct_session_id, v.nas_epoch, v.first_seen_at,
       coalesce(v.answered, (SELECT CASE a.state WHEN 'blocked' THEN 'restricted' ELSE 'normal' END FROM accounts a WHERE a.id = v.account_id), 'normal'),
       ${FIELD_NAMES.map((f) => `v.${f}`).join(', ')}
     FROM unnest(${args.join(', ')}, ${extra.join(', ')})
       AS v(${SESSION_FIELDS}, acct_unique_id, nas_name, acct_session_id, nas_epoch, first_seen_at, answered)
     RETURNING id, acct_unique_id`,
  );
  const rows = await b.run<{ id: number; acct_unique_id: string }>(tx);
  const byKey = new Map(rows.map((r) => [r.acct_unique_id, r.id]));
  const renames: number[] = [];
  list.forEach((s, i) => {
    const id = byKey.get(tempKeys[i] as string);
    if (id === undefined) throw new Error(`inserted session ${tempKeys[i]} not returned`);
    s.id = id;
    if (s.archived) renames.push(id);
  });
  if (renames.length > 0) {
    await tx.query(`UPDATE sessions SET acct_unique_id = substring(acct_unique_id from '^(.*)#new[0-9]+$') || '#' || id WHERE id = ANY($1::bigint[])`, [renames]);
  }
}

/** The cluster-wide rating lock (pg_try_advisory_xact_lock): one rating transaction at a time across instances. */
const RATER_LOCK = '7320984147562118601';

/** An error in the records rather than the database's condition: a body that does not decode, or SQLSTATE 22/23. */
function isRatingDataError(err: unknown): boolean {
  return err instanceof JournalFormatError || isDatabaseDataError(err);
}

/**
 * The rating side of accounting on `sql` (not wrapped in StoreErrors: the rater tells data errors from the
 * database's condition by SQLSTATE, and logs the driver's error).
 */
export function accountingRatingRepository(sql: Sql): AccountingRatingStore {
  return {
    async ratePass(request) {
      let failed: FailedRatingPass | undefined;
      try {
        return await sql.transaction(async (tx): Promise<RatingPassResult> => {
          // The rating commit need not wait for its WAL flush (set_config … true = SET LOCAL): a rating transaction
          // lost in a crash is lost whole, its journal rows with it still in place, and they are rated again on
          // restart. Durability belongs to the journal INSERT that acknowledged the records.
          const lock = await tx.query<{ locked: boolean }>(
            `SELECT set_config('synchronous_commit', 'off', true) IS NOT NULL AND pg_try_advisory_xact_lock($1::bigint) AS locked`,
            [RATER_LOCK],
          );
          if (lock[0]?.locked !== true) return { kind: 'busy' };
          const rows = await claimJournalRows(tx, request.maxRecords, request.maxRows);
          if (rows.length === 0) return { kind: 'empty' };
          const ids = rows.map((r) => r.id);
          const lastRowId = Number(ids[ids.length - 1]);
          failed = { lastRowId, rows: rows.length, records: 0 };
          let records = rows.flatMap((r) => decodeRecords(r.body));
          const limit = request.recordLimit;
          let partial = false;
          let rest: AccountingRecord[] = [];
          if (limit !== null && rows.length === 1 && records.length > limit) {
            // Bisecting one row's records: rate a prefix, keep the rest in the row (its place in journal order).
            rest = records.slice(limit);
            records = records.slice(0, limit);
            partial = true;
          }
          failed = { lastRowId, rows: rows.length, records: records.length };
          const result = await rateBatch(tx, records, request.rules);
          if (partial) await rewriteJournalRow(tx, ids[0] as string, rest);
          else await deleteJournalRows(tx, ids);
          return {
            kind: 'rated',
            lastRowId,
            rows: rows.length,
            records: records.length,
            partial,
            changes: result.changes,
            stats: result.stats,
            held: result.held,
            sessions: result.sessions,
          };
        });
      } catch (err) {
        if (err !== null && typeof err === 'object' && failed !== undefined) Object.assign(err, { failedBatch: failed });
        throw err;
      }
    },

    isDataError: isRatingDataError,

    async reject(journalId, error) {
      return sql.transaction(async (tx) => {
        const lock = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [RATER_LOCK]);
        if (lock[0]?.locked !== true) return null;
        return rejectJournalRecord(tx, journalId, error);
      });
    },

    newestRow: () => newestJournalRow(sql),
    rowsUpTo: (id) => journalRowsUpTo(sql, id),
    backlog: () => journalBacklog(sql),
  };
}
