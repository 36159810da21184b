/**
 * Rating: a batch of accounting records → sessions, charges, usage_monthly, balances and held records, inside
 * the caller's transaction. The rater (rater.ts) calls it with the records of journal rows (journal.ts), in
 * journal order; the rules themselves are in session-rules.ts (docs/accounting.md, "Rules of rating").
 *
 * Session identity. A session is (NAS, NAS epoch, Acct-Session-Id). `sessions.acct_unique_id` of the *current*
 * session of a key is `<length of NAS name>:<NAS name>:<Acct-Session-Id>` (the length prefix keeps "a:b"+"c"
 * and "a"+"b:c" apart). When a record for the key arrives in a later epoch of its NAS (an Accounting-On/Off
 * came between), the old row is archived by renaming its key to `<key>#<row id>` and a new row takes the plain
 * key, so the unique constraint still holds and the look-up stays an index probe on it.
 *
 * Locking. The caller holds the cluster-wide rating lock (rater.ts): rating transactions never run
 * concurrently, so no two of them race to create the same session key or rate the same counters. Other writers
 * of the same rows are row-locked against:
 *  1. `SELECT … FOR UPDATE` of the current session rows (the stale-session sweep skips locked rows; the CoA
 *     bookkeeping writes only `coa_state`, which rating writes only when it inserts a session);
 *  2. `SELECT … FOR UPDATE` of the charged accounts in id order (as rederiveAccountStates and every other
 *     balance writer — payments, fees — does), then of their usage_monthly rows.
 */
import { rederiveAccountStates, type AccountStateChange } from '../store/account-state.js';
import type { Sql } from '../domain/ports.js';
import { StatementBuilder } from './accounting-sql.js';
import { encodeRecord } from './journal-codec.js';
import { monthOf } from './rating.js';
import type { AccountingRecord } from '../domain/accounting.js';
import {
  acctUniqueId,
  applyRecord,
  clampedTime,
  emptyBatch,
  isNasRecord,
  isSessionRecord,
  type BatchStats,
  type HoldReason,
  type RatingRules,
  type Session,
} from './session-rules.js';

export { acctUniqueId } from './session-rules.js';

interface SessionRow {
  id: number;
  acct_unique_id: string;
  nas_name: string;
  acct_session_id: string;
  nas_epoch: string;
  username: string;
  subscriber_id: number | null;
  account_id: number | null;
  framed_ip: string | null;
  calling_station_id: string | null;
  nas_port: string | null;
  started_at: Date;
  updated_at: Date;
  stopped_at: Date | null;
  terminate_cause: string | null;
  final: boolean;
  first_seen_at: Date;
  last_seen_at: Date;
  first_session_time: string;
  input_octets: string;
  output_octets: string;
  session_time: string;
  rated_octets: string;
  rated_seconds: string;
  charged_traffic: string;
  charged_time: string;
  last_status: 'start' | 'interim-update' | 'stop';
}

const SESSION_COLUMNS = `id, acct_unique_id, nas_name, acct_session_id, nas_epoch::text, username, subscriber_id, account_id,
  host(framed_ip) AS framed_ip, calling_station_id, nas_port, started_at, updated_at, stopped_at, terminate_cause, final,
  first_seen_at, last_seen_at, first_session_time::text, input_octets::text, output_octets::text,
  session_time::text, rated_octets::text, rated_seconds::text, charged_traffic::text, charged_time::text, last_status`;

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
  readonly stats: BatchStats;
  readonly held: Readonly<Record<HoldReason, number>>;
}

/**
 * Rates `records` (in this order) inside `tx` under `rules`. The caller must hold the rating lock (see the
 * module comment): two of these at once could both insert a session key.
 */
export async function rateBatch(tx: Sql, records: readonly AccountingRecord[], rules: RatingRules): Promise<BatchResult> {
  const sessionRecords = records.filter(isSessionRecord);
  const batch = emptyBatch();

  // 1. Current sessions of the keys, and the sessions approved records were held for; locked.
  const keys = [...new Set(sessionRecords.filter((r) => r.approved === undefined).map((r) => acctUniqueId(r.nas, r.acctSessionId)))];
  const approvedIds = [...new Set(sessionRecords.flatMap((r) => (r.approved?.sessionId == null ? [] : [r.approved.sessionId])))];
  if (keys.length > 0 || approvedIds.length > 0) {
    const rows = await tx.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE acct_unique_id = ANY($1::text[]) OR id = ANY($2::bigint[]) ORDER BY id FOR UPDATE`,
      [keys, approvedIds],
    );
    for (const row of rows) {
      const s = sessionOf(row);
      // An archived row (loaded by id for an approval) keeps its `#id` key, which no record looks up.
      batch.sessions.set(s.key, s);
      batch.byId.set(s.id as number, s);
      batch.all.push(s);
    }
  }
  const loadedIds = batch.all.map((s) => s.id as number);

  // 2. NAS epochs of every NAS in the batch.
  const nasNames = [...new Set(records.filter((r) => isSessionRecord(r) || isNasRecord(r)).map((r) => r.nas))];
  if (nasNames.length > 0) {
    const rows = await tx.query<{ nas_name: string; epoch: string }>('SELECT nas_name, epoch::text FROM accounting_nas_epochs WHERE nas_name = ANY($1::text[])', [nasNames]);
    for (const row of rows) batch.epochs.set(row.nas_name, Number(row.epoch));
  }

  // 3. Subscribers and tariffs; lock their accounts in id order, then their usage months.
  const usernames = [...new Set([...sessionRecords.map((r) => r.username), ...batch.all.map((s) => s.username)])];
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
  const accountIds = [...new Set([...batch.subscribers.values()].map((s) => s.accountId))].sort((a, b) => a - b);
  if (accountIds.length > 0) {
    await tx.query('SELECT id FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [accountIds]);
    await loadUsage(tx, batch, sessionRecords, rules);
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
  const existing = batch.all.filter((s) => s.id !== null && s.dirty);
  const fresh = batch.all.filter((s) => s.id === null);
  const archiving = existing.some((s) => s.archived);
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

  const charged = batch.all.filter((s) => s.traffic > 0n || s.time > 0n);
  const byAccount = new Map<number, bigint>();
  if (charged.length > 0) {
    const acc: number[] = [];
    const kind: string[] = [];
    const amount: string[] = [];
    const sid: number[] = [];
    for (const s of charged) {
      const a = s.chargeAccountId as number;
      for (const [k, v] of [['traffic', s.traffic], ['time', s.time]] as const) {
        if (v === 0n) continue;
        acc.push(a);
        kind.push(k);
        amount.push(String(v));
        sid.push(s.id as number);
        byAccount.set(a, (byAccount.get(a) ?? 0n) + v);
      }
    }
    writes.add(
      `INSERT INTO charges (account_id, kind, amount, session_id)
       SELECT * FROM unnest(${writes.p(acc)}::bigint[], ${writes.p(kind)}::text[], ${writes.p(amount)}::bigint[], ${writes.p(sid)}::bigint[])`,
    );
  }
  const usage = [...batch.usage.values()].filter((u) => u.dirty);
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
  const held = { octet_rate: 0, session_time: 0 };
  for (const h of batch.held) held[h.reason]++;
  return { changes, stats: batch.stats, held };
}

/** The usage months the batch may rate: every (subscriber, month) of a record's own login or its session's. */
async function loadUsage(tx: Sql, batch: ReturnType<typeof emptyBatch>, sessionRecords: readonly AccountingRecord[], rules: RatingRules): Promise<void> {
  const wanted = new Map<string, { subscriberId: number; accountId: number; month: string }>();
  const byId = batch.byId;
  for (const r of sessionRecords) {
    const month = monthOf(clampedTime(r, rules).at);
    const session = r.approved?.sessionId == null ? batch.sessions.get(acctUniqueId(r.nas, r.acctSessionId)) : byId.get(r.approved.sessionId);
    for (const username of [r.username, session?.username]) {
      const sub = username === undefined ? undefined : batch.subscribers.get(username);
      if (sub !== undefined) wanted.set(`${sub.id}/${month}`, { subscriberId: sub.id, accountId: sub.accountId, month });
    }
  }
  const pairs = [...wanted.values()];
  if (pairs.length === 0) return;
  const rows = await tx.query<{ subscriber_id: number; month: string; octets: string; seconds: string; charged_traffic: string }>(
    `SELECT m.subscriber_id, m.month::text AS month, m.octets::text, m.seconds::text, m.charged_traffic::text
     FROM usage_monthly m JOIN unnest($1::bigint[], $2::date[]) AS w(subscriber_id, month)
       ON m.subscriber_id = w.subscriber_id AND m.month = w.month
     WHERE m.subscriber_id = ANY($1::bigint[])
     ORDER BY m.subscriber_id, m.month FOR UPDATE OF m`,
    [pairs.map((p) => p.subscriberId), pairs.map((p) => p.month)],
  );
  for (const p of pairs) {
    batch.usage.set(`${p.subscriberId}/${p.month}`, { subscriberId: p.subscriberId, month: p.month, accountId: p.accountId, octets: 0n, seconds: 0n, charged: 0n, dirty: false });
  }
  for (const row of rows) {
    const u = batch.usage.get(`${row.subscriber_id}/${row.month}`);
    if (u === undefined) continue;
    u.octets = BigInt(row.octets);
    u.seconds = BigInt(row.seconds);
    u.charged = BigInt(row.charged_traffic);
  }
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
