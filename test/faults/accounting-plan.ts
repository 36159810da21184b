/**
 * The accounting workload of the fault tests: subscribers on a metered tariff with known prices, sessions of
 * Start + 2 Interim + Stop with known counters, sent by retransmitting BRAS connections, and the exact outcome
 * they must settle to (sessions, charges, balances), read back with SQL.
 *
 * Each Interim/Stop adds 2·10^9 octets (1.5·10^9 in, 0.5·10^9 out; the input counter passes 2^32, so
 * Gigawords are used) and 330 s. Traffic steps are whole 10^9-byte units, so the monthly cumulative floor gives
 * the same total however the steps fall into months; the time price is per session.
 */
import { afterAll, beforeAll } from 'vitest';
import type { DaemonProcess, PrivatePostgres } from './harness.js';
import { eventually, Fatal, FaultEnv, SECRET } from './harness.js';
import { RetransmittingBras, type AcctRecord, type RetransmitOptions } from './radius.js';

export const TARIFF = { name: 'fault-metered', pricePerMinute: 7, pricePerGB: 13, includedBytes: 0, monthlyFee: 0 };
export const OPENING_BALANCE = 1_000_000;

const STEP_SECONDS = 330;
const STEP_IN = 1_500_000_000n;
const STEP_OUT = 500_000_000n;
const STEPS = 3; // Interim, Interim, Stop

/** What one complete session must be charged: time floor(990·7/60) = 115, traffic floor(6·10^9·13/10^9) = 78. */
export const SESSION_TIME_CHARGE = Math.floor((STEPS * STEP_SECONDS * TARIFF.pricePerMinute) / 60);
export const SESSION_TRAFFIC_CHARGE = Number(((STEP_IN + STEP_OUT) * BigInt(STEPS) * BigInt(TARIFF.pricePerGB)) / 1_000_000_000n);

export interface Subscriber {
  readonly username: string;
  readonly password: string;
  readonly accountId: number;
  readonly subscriberId: number;
}

export interface PlannedSession {
  readonly user: Subscriber;
  readonly sessionId: string;
  readonly framedIp: string;
}

/** A tariff, and `count` funded subscribers on it (each with its own account), through the admin API. */
export async function seed(daemon: DaemonProcess, prefix: string, count: number): Promise<Subscriber[]> {
  const tariff = await daemon.api<{ id: number }>('POST', '/tariffs', { ...TARIFF, name: `${TARIFF.name}-${prefix}` });
  const users: Subscriber[] = [];
  for (let i = 1; i <= count; i++) {
    const account = await daemon.api<{ id: number }>('POST', '/accounts', {});
    await daemon.api('POST', '/payments', { accountId: account.id, amount: OPENING_BALANCE, externalId: `${prefix}-open-${i}` });
    const username = `${prefix}-u${i}`;
    const password = `${prefix}-pw-${i}`;
    const sub = await daemon.api<{ id: number }>('POST', '/subscribers', { username, password, accountId: account.id, tariffId: tariff.id });
    users.push({ username, password, accountId: account.id, subscriberId: sub.id });
  }
  return users;
}

export interface LoadFixture {
  readonly env: FaultEnv;
  readonly daemon: DaemonProcess;
  readonly users: readonly Subscriber[];
}

/**
 * The set-up of a fault test under accounting load, registered on the enclosing describe: a private PostgreSQL
 * and Redis, one daemon on them, `count` funded subscribers named after `prefix`; all torn down after the
 * file. The fields are there once beforeAll has run.
 */
export function loadFixture(prefix: string, count: number): LoadFixture {
  const f: { env?: FaultEnv; daemon?: DaemonProcess; users?: Subscriber[] } = {};
  beforeAll(async () => {
    f.env = await FaultEnv.create();
    f.daemon = await f.env.daemon('tollgate');
    f.users = await seed(f.daemon, prefix, count);
  });
  afterAll(async () => {
    await f.env?.destroy();
  });
  return f as LoadFixture;
}

export function plan(users: readonly Subscriber[], perUser: number, tag: string): PlannedSession[] {
  const sessions: PlannedSession[] = [];
  users.forEach((user, u) => {
    for (let j = 0; j < perUser; j++) sessions.push({ user, sessionId: `${tag}-${user.username}-${j}`, framedIp: `100.64.${u + 1}.${j + 1}` });
  });
  return sessions;
}

/** The record of `step` (0 Start, 1–2 Interim, 3 Stop) of a session. */
export function record(s: PlannedSession, step: number): AcctRecord {
  const base = { username: s.user.username, sessionId: s.sessionId, framedIp: s.framedIp };
  if (step === 0) return { ...base, status: 'start' };
  return {
    ...base,
    status: step === STEPS ? 'stop' : 'interim',
    sessionTime: step * STEP_SECONDS,
    inputOctets: STEP_IN * BigInt(step),
    outputOctets: STEP_OUT * BigInt(step),
  };
}

export interface LoadResult {
  readonly sent: number;
  readonly sameId: number;
  readonly newId: number;
  readonly acked: number;
  /** Records acknowledged only after being retransmitted (their ack took longer than one resend interval). */
  readonly slowAcks: number;
}

/**
 * Runs `sessions` through `connections` BRAS sockets (each sends its sessions' records one at a time, `gapMs`
 * apart), steps `from`..`to` inclusive; resolves when every record is acknowledged.
 */
export async function runLoad(
  port: number,
  sessions: readonly PlannedSession[],
  options: { connections: number; gapMs: number; from?: number; to?: number; retransmit?: RetransmitOptions; progress?: { acked: number } },
): Promise<LoadResult> {
  const from = options.from ?? 0;
  const to = options.to ?? STEPS;
  const queue = [...sessions];
  const brases = await Promise.all(Array.from({ length: options.connections }, () => RetransmittingBras.open(port, Buffer.from(SECRET))));
  let slowAcks = 0;
  try {
    await Promise.all(
      brases.map(async (bras) => {
        for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
          for (let step = from; step <= to; step++) {
            const took = await bras.send(record(s, step), options.retransmit);
            if (options.progress) options.progress.acked++;
            if (took >= (options.retransmit?.resendMs ?? 500)) slowAcks++;
            await new Promise((r) => setTimeout(r, options.gapMs));
          }
        }
      }),
    );
  } finally {
    for (const b of brases) b.close();
  }
  const total = (k: 'sent' | 'sameId' | 'newId' | 'acked'): number => brases.reduce((n, b) => n + b.stats[k], 0);
  return { sent: total('sent'), sameId: total('sameId'), newId: total('newId'), acked: total('acked'), slowAcks };
}

interface SessionRow {
  acct_session_id: string;
  stopped: boolean;
  session_time: string;
  input_octets: string;
  output_octets: string;
  time_charged: string;
  traffic_charged: string;
  charge_rows: string;
}

/** Current balances of the accounts of `users` (a baseline for expectSettled when they already have charges). */
export async function balances(db: PrivatePostgres, users: readonly Subscriber[]): Promise<Map<number, number>> {
  const rows = await db.query<{ id: string; balance: string }>('SELECT id::text, balance::text FROM accounts WHERE id = ANY($1::bigint[])', [users.map((u) => u.accountId)]);
  return new Map(rows.map((r) => [Number(r.id), Number(r.balance)]));
}

/**
 * Waits (≤ timeoutMs; rating may trail the acknowledgement) until every planned session is stored exactly once,
 * stopped, with its final counters, charged exactly SESSION_TIME_CHARGE + SESSION_TRAFFIC_CHARGE, and every
 * account's balance is its baseline (default: the opening balance) minus these sessions' charges; then checks it stays so for `stableMs`
 * (a late second rating would show up). Throws with the differences otherwise.
 */
export async function expectSettled(
  db: PrivatePostgres,
  sessions: readonly PlannedSession[],
  options: { baseline?: Map<number, number>; timeoutMs?: number; stableMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 10_000, stableMs = 1500 } = options;
  const ids = sessions.map((s) => s.sessionId);
  const perAccount = new Map<number, number>();
  for (const s of sessions) perAccount.set(s.user.accountId, (perAccount.get(s.user.accountId) ?? 0) + 1);

  const problems = async (): Promise<string[]> => {
    const out: string[] = [];
    const rows = await db.query<SessionRow>(
      `SELECT s.acct_session_id, s.stopped_at IS NOT NULL AS stopped, s.session_time::text, s.input_octets::text, s.output_octets::text,
              coalesce(sum(c.amount) FILTER (WHERE c.kind = 'time'), 0)::text AS time_charged,
              coalesce(sum(c.amount) FILTER (WHERE c.kind = 'traffic'), 0)::text AS traffic_charged,
              count(c.id)::text AS charge_rows
       FROM sessions s LEFT JOIN charges c ON c.session_id = s.id
       WHERE s.acct_session_id = ANY($1::text[]) GROUP BY s.id`,
      [ids],
    );
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(r.acct_session_id, (seen.get(r.acct_session_id) ?? 0) + 1);
    const missing = ids.filter((id) => !seen.has(id));
    if (missing.length > 0) out.push(`${missing.length} sessions missing (e.g. ${missing.slice(0, 3).join(', ')})`);
    const doubled = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    if (doubled.length > 0) out.push(`sessions stored more than once: ${doubled.slice(0, 3).join(', ')}`);
    const finalTime = String(STEPS * STEP_SECONDS);
    for (const r of rows) {
      const want = `stopped, ${finalTime} s, ${STEP_IN * BigInt(STEPS)}/${STEP_OUT * BigInt(STEPS)} octets, time ${SESSION_TIME_CHARGE}, traffic ${SESSION_TRAFFIC_CHARGE}`;
      const got = `${r.stopped ? 'stopped' : 'open'}, ${r.session_time} s, ${r.input_octets}/${r.output_octets} octets, time ${r.time_charged}, traffic ${r.traffic_charged}`;
      if (got !== want) out.push(`${r.acct_session_id}: ${got}; expected ${want}`);
    }
    const accounts = await db.query<{ id: string; balance: string }>(`SELECT id::text, balance::text FROM accounts WHERE id = ANY($1::bigint[])`, [[...perAccount.keys()]]);
    for (const a of accounts) {
      const expected = (options.baseline?.get(Number(a.id)) ?? OPENING_BALANCE) - (perAccount.get(Number(a.id)) ?? 0) * (SESSION_TIME_CHARGE + SESSION_TRAFFIC_CHARGE);
      if (Number(a.balance) !== expected) out.push(`account ${a.id}: balance ${a.balance}, expected ${expected}`);
    }
    return out;
  };

  let last: string[] = [];
  try {
    await eventually(
      async () => {
        last = await problems();
        // Over-charging never heals: fail at once instead of waiting.
        const over = last.filter((p) => /stored more than once|balance .*expected/.test(p) && overCharged(p));
        if (over.length > 0) throw new Fatal(`charged twice:\n${over.join('\n')}`);
        return last.length === 0;
      },
      timeoutMs,
      'accounting to settle',
      250,
    );
  } catch (err) {
    if (err instanceof Fatal) throw err;
    throw new Error(`accounting did not settle within ${timeoutMs} ms:\n${last.slice(0, 12).join('\n')}`);
  }
  await new Promise((r) => setTimeout(r, stableMs));
  const after = await problems();
  if (after.length > 0) throw new Error(`accounting changed after it had settled:\n${after.slice(0, 12).join('\n')}`);
}

function overCharged(problem: string): boolean {
  const m = /balance (-?\d+), expected (-?\d+)/.exec(problem);
  return problem.includes('stored more than once') || (m !== null && Number(m[1]) < Number(m[2]));
}
