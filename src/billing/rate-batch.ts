/**
 * Rating: a batch of accounting records → sessions, charges, usage_monthly and balances, inside the caller's
 * transaction. The rater (rater.ts) calls it with the records of journal rows (journal.ts), in journal order.
 *
 * Session identity. `sessions.acct_unique_id` of the *current* session of a key is
 * `<length of NAS name>:<NAS name>:<Acct-Session-Id>` (the length prefix keeps "a:b"+"c" and "a"+"b:c" apart).
 * When an Acct-Session-Id comes back for a session that is already stopped (a BRAS reboot resets its counter
 * of session ids) the stopped row is archived by renaming its key to `<key>#<row id>` and a new row takes the
 * plain key, so the existing unique constraint still holds, the upsert look-up stays an index probe on it, and
 * no migration is needed. A record starts a new generation only when it is clearly later than the stopped
 * session: a Start with event time ≥ stopped_at (and after started_at), or an Interim/Stop whose derived start
 * (event time − Acct-Session-Time) is ≥ stopped_at. Anything else (retransmitted or late Start, Interim after
 * Stop, a second Stop) applies to the stopped row with the monotonic-counter rule, which charges nothing
 * unless the counters really grew. A record dated before the start of the key's current session (the old
 * session's late Interim or Stop after the id was reused, a late retransmitted Start) is acknowledged and
 * ignored: counters are cumulative, so a later record carries everything it could have said.
 *
 * Locking. The caller holds the cluster-wide rating lock (rater.ts): rating transactions never run
 * concurrently, so no two of them race to create the same session key or rate the same counters. Other writers
 * of the same rows are row-locked against:
 *  1. `SELECT … FOR UPDATE` of the current session rows (the stale-session sweep skips locked rows; the CoA
 *     bookkeeping writes only `coa_state`, which rating never writes);
 *  2. `SELECT … FOR UPDATE` of the charged accounts in id order (as rederiveAccountStates and every other
 *     balance writer — payments, fees — does), then of their usage_monthly rows.
 */
import { rederiveAccountStates, type AccountStateChange } from '../store/account-state.js';
import type { Sql } from '../store/ports.js';
import { StatementBuilder } from './accounting-sql.js';
import { advanceCounter, monthOf, rateTime, rateTraffic } from './rating.js';
import type { AccountingRecord } from './record.js';

/** The current acct_unique_id of a session (see the module comment). */
export function acctUniqueId(nas: string, acctSessionId: string): string {
  return `${nas.length}:${nas}:${acctSessionId}`;
}

interface SubscriberRating {
  readonly id: number;
  readonly accountId: number;
  readonly pricePerGB: bigint;
  readonly includedBytes: bigint;
  readonly pricePerMinute: bigint;
}

interface Usage {
  readonly subscriberId: number;
  readonly month: string;
  accountId: number;
  octets: bigint;
  seconds: bigint;
  charged: bigint;
  dirty: boolean;
}

interface Session {
  id: number | null;
  readonly key: string;
  /** Set when this row gives its key up to a newer generation. */
  archived: boolean;
  readonly nas: string;
  readonly acctSessionId: string;
  username: string;
  subscriberId: number | null;
  accountId: number | null;
  framedIp: string | null;
  callingStationId: string | null;
  nasPort: string | null;
  startedAt: Date;
  updatedAt: Date;
  stoppedAt: Date | null;
  terminateCause: string | null;
  input: bigint;
  output: bigint;
  sessionTime: bigint;
  ratedOctets: bigint;
  ratedSeconds: bigint;
  chargedTraffic: bigint;
  chargedTime: bigint;
  lastStatus: 'start' | 'interim-update' | 'stop';
  dirty: boolean;
  /** Charges of this batch, by kind. */
  traffic: bigint;
  time: bigint;
  chargeAccountId: number | null;
}

interface SessionRow {
  id: number;
  acct_unique_id: string;
  nas_name: string;
  acct_session_id: string;
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
  input_octets: string;
  output_octets: string;
  session_time: string;
  rated_octets: string;
  rated_seconds: string;
  charged_traffic: string;
  charged_time: string;
  last_status: 'start' | 'interim-update' | 'stop';
}

const SESSION_COLUMNS = `id, acct_unique_id, nas_name, acct_session_id, username, subscriber_id, account_id, host(framed_ip) AS framed_ip,
  calling_station_id, nas_port, started_at, updated_at, stopped_at, terminate_cause, input_octets::text, output_octets::text,
  session_time::text, rated_octets::text, rated_seconds::text, charged_traffic::text, charged_time::text, last_status`;

function sessionOf(row: SessionRow): Session {
  return {
    id: row.id,
    key: row.acct_unique_id,
    archived: false,
    nas: row.nas_name,
    acctSessionId: row.acct_session_id,
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
    input: BigInt(row.input_octets),
    output: BigInt(row.output_octets),
    sessionTime: BigInt(row.session_time),
    ratedOctets: BigInt(row.rated_octets),
    ratedSeconds: BigInt(row.rated_seconds),
    chargedTraffic: BigInt(row.charged_traffic),
    chargedTime: BigInt(row.charged_time),
    lastStatus: row.last_status,
    dirty: false,
    traffic: 0n,
    time: 0n,
    chargeAccountId: null,
  };
}

const MAX_COUNTER = BigInt(Number.MAX_SAFE_INTEGER);

const isSessionRecord = (r: AccountingRecord): boolean => r.status === 'start' || r.status === 'stop' || r.status === 'interim-update';
const isNasRecord = (r: AccountingRecord): boolean => r.status === 'accounting-on' || r.status === 'accounting-off';
const maxDate = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);

function newSession(r: AccountingRecord, key: string, sub: SubscriberRating | undefined): Session {
  const started = r.status === 'start' ? r.eventTime : new Date(r.eventTime.getTime() - Number(r.sessionTime ?? 0n) * 1000);
  return {
    id: null,
    key,
    archived: false,
    nas: r.nas,
    acctSessionId: r.acctSessionId,
    username: r.username,
    subscriberId: sub?.id ?? null,
    accountId: sub?.accountId ?? null,
    framedIp: r.framedIp,
    callingStationId: r.callingStationId,
    nasPort: r.nasPort,
    startedAt: started,
    updatedAt: r.eventTime,
    stoppedAt: null,
    terminateCause: null,
    input: 0n,
    output: 0n,
    sessionTime: 0n,
    ratedOctets: 0n,
    ratedSeconds: 0n,
    chargedTraffic: 0n,
    chargedTime: 0n,
    lastStatus: r.status === 'start' ? 'start' : 'interim-update',
    dirty: true,
    traffic: 0n,
    time: 0n,
    chargeAccountId: null,
  };
}

/** Whether `r` belongs to a new session reusing the Acct-Session-Id of the stopped session `s`. */
function startsNewGeneration(s: Session, r: AccountingRecord): boolean {
  if (s.stoppedAt === null) return false;
  const stopped = s.stoppedAt.getTime();
  const started = s.startedAt.getTime();
  const at = r.eventTime.getTime();
  if (r.status === 'start') return at >= stopped && at > started;
  if (r.sessionTime === null) return false;
  const derivedStart = at - Number(r.sessionTime) * 1000;
  return derivedStart >= stopped && derivedStart > started;
}

interface Batch {
  readonly sessions: Map<string, Session>;
  readonly all: Session[];
  readonly subscribers: Map<string, SubscriberRating>;
  readonly usage: Map<string, Usage>;
  readonly nasCloses: { nas: string; at: Date }[];
}

/** Applies `r` in memory (session state, usage and the batch's charges). */
function applyRecord(b: Batch, r: AccountingRecord): void {
  if (isNasRecord(r)) {
    for (const s of b.all) {
      if (s.nas === r.nas && s.stoppedAt === null) {
        s.stoppedAt = maxDate(r.eventTime, s.startedAt);
        s.terminateCause = 'NAS-Reboot';
        s.lastStatus = 'stop';
        s.updatedAt = maxDate(s.updatedAt, r.eventTime);
        s.dirty = true;
      }
    }
    b.nasCloses.push({ nas: r.nas, at: r.eventTime });
    return;
  }
  const key = acctUniqueId(r.nas, r.acctSessionId);
  let s = b.sessions.get(key);
  if (s === undefined || startsNewGeneration(s, r)) {
    if (s !== undefined) {
      s.archived = true;
      s.dirty = true;
    }
    s = newSession(r, key, b.subscribers.get(r.username));
    b.sessions.set(key, s);
    b.all.push(s);
  }
  // A session is rated for the login it started with (a User-Name changing mid-session does not move it).
  const sub = b.subscribers.get(s.username);
  const at = r.eventTime;
  // A record dated before the current session began belongs to an earlier generation of the key (the old
  // session's late Interim or Stop after the id was reused) or is a stale Start: counters are cumulative, so
  // ignoring it loses nothing.
  if (at.getTime() < s.startedAt.getTime()) return;
  const newest = at.getTime() >= s.updatedAt.getTime();
  if (sub !== undefined && s.subscriberId === null) {
    s.subscriberId = sub.id;
    s.accountId = sub.accountId;
    s.dirty = true;
  }
  if (r.framedIp !== null && (s.framedIp === null || newest)) s.framedIp = r.framedIp;
  if (r.callingStationId !== null && (s.callingStationId === null || newest)) s.callingStationId = r.callingStationId;
  if (r.nasPort !== null && (s.nasPort === null || newest)) s.nasPort = r.nasPort;

  // Monotonic counters. A record older than the stored state (smaller Acct-Session-Time) or a zero-counter
  // Stop is stale, never a wrap.
  const notOlder = r.sessionTime === null || r.sessionTime >= s.sessionTime;
  const zero = (r.input?.bytes ?? 0n) === 0n && (r.output?.bytes ?? 0n) === 0n;
  const mayWrap = notOlder && !zero;
  // Counters beyond 2^53 (9 PB) are garbage from a broken NAS; they would also overflow bigint columns and
  // fail every batch they join. Ignore them rather than poison the queue.
  if (r.input !== null && r.input.bytes <= MAX_COUNTER) s.input = advanceCounter(s.input, r.input, mayWrap);
  if (r.output !== null && r.output.bytes <= MAX_COUNTER) s.output = advanceCounter(s.output, r.output, mayWrap);
  if (r.sessionTime !== null && r.sessionTime > s.sessionTime) s.sessionTime = r.sessionTime;

  if (r.status === 'stop') {
    if (s.stoppedAt === null) {
      s.stoppedAt = maxDate(at, s.startedAt);
      s.terminateCause = r.terminateCause;
      s.lastStatus = 'stop';
    }
  } else if (r.status === 'interim-update' && s.stoppedAt === null) {
    s.lastStatus = 'interim-update';
  }
  s.updatedAt = maxDate(s.updatedAt, at);
  s.dirty = true;

  // Rate the increase over what is already rated.
  const total = s.input + s.output;
  const deltaOctets = total > s.ratedOctets ? total - s.ratedOctets : 0n;
  const deltaSeconds = s.sessionTime > s.ratedSeconds ? s.sessionTime - s.ratedSeconds : 0n;
  if (deltaOctets === 0n && deltaSeconds === 0n) return;
  if (sub !== undefined) {
    const month = monthOf(at);
    const u = b.usage.get(`${sub.id}/${month}`);
    if (u === undefined) throw new Error(`usage row ${sub.id}/${month} not loaded`);
    const traffic = rateTraffic(u, deltaOctets, sub.includedBytes, sub.pricePerGB);
    u.octets = traffic.octets;
    u.charged = traffic.charged;
    u.seconds += deltaSeconds;
    u.accountId = sub.accountId;
    u.dirty = true;
    const time = rateTime(s.sessionTime, s.chargedTime, sub.pricePerMinute);
    s.chargedTraffic += traffic.charge;
    s.chargedTime = time.charged;
    if (traffic.charge > 0n || time.charge > 0n) {
      s.chargeAccountId = sub.accountId;
      s.traffic += traffic.charge;
      s.time += time.charge;
    }
  }
  s.ratedOctets = total;
  s.ratedSeconds = s.sessionTime;
}

/**
 * Rates `records` (in this order) inside `tx`; returns the account state transitions it caused. The caller
 * must hold the rating lock (see the module comment): two of these at once could both insert a session key.
 */
export async function rateBatch(tx: Sql, records: readonly AccountingRecord[]): Promise<AccountStateChange[]> {
  const sessionRecords = records.filter(isSessionRecord);

  // 1. Current sessions, locked.
  const batch: Batch = { sessions: new Map(), all: [], subscribers: new Map(), usage: new Map(), nasCloses: [] };
  const keys = [...new Set(sessionRecords.map((r) => acctUniqueId(r.nas, r.acctSessionId)))];
  if (keys.length > 0) {
    const rows = await tx.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE acct_unique_id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [keys]);
    for (const row of rows) {
      const s = sessionOf(row);
      batch.sessions.set(s.key, s);
      batch.all.push(s);
    }
  }
  const loadedIds = batch.all.map((s) => s.id as number);
  // Open sessions of an Accounting-On/Off NAS that a session record of this batch touches are in memory;
  // the On/Off closes them there (in record order) and the rest in SQL.

  // 2. Subscribers and tariffs; lock their accounts in id order, then their usage months.
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
    const wanted = new Map<string, { sub: SubscriberRating; month: string }>();
    // Every (subscriber, month) a record may rate: its own login (a new session) or its current session's.
    for (const r of sessionRecords) {
      const month = monthOf(r.eventTime);
      for (const username of [r.username, batch.sessions.get(acctUniqueId(r.nas, r.acctSessionId))?.username]) {
        const sub = username === undefined ? undefined : batch.subscribers.get(username);
        if (sub !== undefined) wanted.set(`${sub.id}/${month}`, { sub, month });
      }
    }
    const pairs = [...wanted.values()];
    const rows = await tx.query<{ subscriber_id: number; month: string; account_id: number; octets: string; seconds: string; charged_traffic: string }>(
      `SELECT m.subscriber_id, m.month::text AS month, m.account_id, m.octets::text, m.seconds::text, m.charged_traffic::text
       FROM usage_monthly m JOIN unnest($1::bigint[], $2::date[]) AS w(subscriber_id, month)
         ON m.subscriber_id = w.subscriber_id AND m.month = w.month
       WHERE m.subscriber_id = ANY($1::bigint[])
       ORDER BY m.subscriber_id, m.month FOR UPDATE OF m`,
      [pairs.map((p) => p.sub.id), pairs.map((p) => p.month)],
    );
    for (const p of pairs) {
      batch.usage.set(`${p.sub.id}/${p.month}`, { subscriberId: p.sub.id, month: p.month, accountId: p.sub.accountId, octets: 0n, seconds: 0n, charged: 0n, dirty: false });
    }
    for (const row of rows) {
      const u = batch.usage.get(`${row.subscriber_id}/${row.month}`);
      if (u === undefined) continue;
      u.octets = BigInt(row.octets);
      u.seconds = BigInt(row.seconds);
      u.charged = BigInt(row.charged_traffic);
    }
  }

  // 3. Apply in arrival order (in memory).
  for (const r of records) if (isSessionRecord(r) || isNasRecord(r)) applyRecord(batch, r);

  // 4. Write. Accounting-On/Off first: sessions of the NAS not held in memory.
  for (const c of batch.nasCloses) {
    await tx.query(
      `UPDATE sessions SET stopped_at = greatest(started_at, $2::timestamptz), terminate_cause = 'NAS-Reboot', last_status = 'stop',
         updated_at = greatest(updated_at, $2::timestamptz)
       WHERE nas_name = $1 AND stopped_at IS NULL AND NOT (id = ANY($3::bigint[]))`,
      [c.nas, c.at.toISOString(), loadedIds],
    );
  }
  // Fresh sessions first (their ids are needed by the charges), then every other write of the batch (session
  // updates, charges, balances, usage months) as one statement of data-modifying CTEs: one round trip.
  // An archived row must give its key up before a fresh row takes it (the unique constraint is checked per row):
  // then the update of existing rows runs on its own, first.
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
  return byAccount.size > 0 ? rederiveAccountStates(tx, [...byAccount.keys()], 'charge') : [];
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
  ];
}

const SESSION_UNNEST = `unnest($1::text[], $2::bigint[], $3::bigint[], $4::inet[], $5::text[], $6::text[], $7::timestamptz[],
  $8::timestamptz[], $9::timestamptz[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[],
  $16::bigint[], $17::bigint[], $18::text[]`;
const SESSION_FIELDS = `username, subscriber_id, account_id, framed_ip, calling_station_id, nas_port, started_at, updated_at,
  stopped_at, terminate_cause, input_octets, output_octets, session_time, rated_octets, rated_seconds, charged_traffic,
  charged_time, last_status`;

/** The UPDATE of existing session rows, its parameters added to `b`. */
function updateSessionsSql(b: StatementBuilder, list: readonly Session[]): string {
  const uniqueIds = list.map((s) => (s.archived ? `${s.key}#${s.id}` : s.key));
  const types = ['text', 'bigint', 'bigint', 'inet', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'text'];
  const arrays = sessionArrays(list);
  const args = arrays.map((a, i) => `${b.p(a)}::${types[i]}[]`);
  const ids = b.p(list.map((s) => s.id));
  return `UPDATE sessions s SET acct_unique_id = v.acct_unique_id, username = v.username, subscriber_id = v.subscriber_id,
       account_id = v.account_id, framed_ip = v.framed_ip, calling_station_id = v.calling_station_id, nas_port = v.nas_port,
       started_at = v.started_at, updated_at = v.updated_at, stopped_at = v.stopped_at, terminate_cause = v.terminate_cause,
       input_octets = v.input_octets, output_octets = v.output_octets, session_time = v.session_time,
       rated_octets = v.rated_octets, rated_seconds = v.rated_seconds, charged_traffic = v.charged_traffic,
       charged_time = v.charged_time, last_status = v.last_status
     FROM unnest(${args.join(', ')}, ${ids}::bigint[], ${b.p(uniqueIds)}::text[]) AS v(${SESSION_FIELDS}, id, acct_unique_id)
     WHERE s.id = v.id AND s.id = ANY(${ids}::bigint[])`;
}

async function insertSessions(tx: Sql, list: readonly Session[]): Promise<void> {
  // A row archived within its own batch needs its id in its key: insert it under a temporary key first.
  const tempKeys = list.map((s, i) => (s.archived ? `${s.key}#new${i}` : s.key));
  const rows = await tx.query<{ id: number; acct_unique_id: string }>(
    `INSERT INTO sessions (acct_unique_id, nas_id, nas_name, acct_session_id, ${SESSION_FIELDS})
     SELECT v.acct_unique_id, (SELECT n.id FROM nas n WHERE n.name = v.nas_name), v.nas_name, v.acct_session_id,
       ${SESSION_FIELDS.split(',')
         .map((f) => `v.${f.trim()}`)
         .join(', ')}
     FROM ${SESSION_UNNEST}, $19::text[], $20::text[], $21::text[]) AS v(${SESSION_FIELDS}, acct_unique_id, nas_name, acct_session_id)
     RETURNING id, acct_unique_id`,
    [...sessionArrays(list), tempKeys, list.map((s) => s.nas), list.map((s) => s.acctSessionId)],
  );
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
