/**
 * Subscribers in bulk (`tollgate import csv`): the whole input in ONE transaction — every row or none — with one
 * multi-row statement per table and chunk of rows (1,000 by default) — `INSERT … SELECT FROM unnest($1::text[], …)`
 * for the new accounts, their opening-balance adjustments, the subscribers and their subscriptions — instead of a
 * dozen round trips per row. The rules are those of the single-row repositories: every row is checked by the same
 * validators first (a bad row fails before any SQL); a password is stored with its NT hash; an opening balance is
 * an adjustment that moves the balance and re-derives the account state; a subscriber with a tariff that is not
 * disabled opens its subscription from today (in the fee time zone) under the shared subscriptions lock. An
 * existing username is skipped, or updated through the subscriber repository (one row at a time: updates end and
 * open subscriptions).
 *
 * Each chunk runs under a savepoint. When the database refuses a chunk (a framed IP or username another subscriber
 * has, an account that does not exist), the chunk rolls back to its savepoint and its rows are retried one per
 * savepoint, so every bad row is named with the field the constraint names; the import goes on to find the bad
 * rows of later chunks (up to maxFailures), then rolls the whole transaction back. A half-imported subscriber file
 * is worse than none: the operator fixes the rows and runs the file again.
 */
import { ntPasswordHash } from '../../auth/mschapv2.js';
import { checkTimeZone, dayInTimeZone } from '../../billing/core/calendar.js';
import { FEE_SUBSCRIPTIONS_LOCK_KEY } from './fee-locks.js';
import { SUBSCRIBER_STATUSES } from '../../domain/types.js';
import { StoreError, subscriberPatchOf, type BulkImportOptions, type BulkImportRepository, type BulkImportResult, type BulkRowOutcome, type BulkSubscriberRow } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { rederiveAccountStates } from '../account-state.js';
import { isDataError, withStoreErrors } from '../db-errors.js';
import { boundedAmount } from '../money.js';
import { checkSubscriber, count, hostAddress, intInRange, macAddress, nonEmpty, ntHash, oneOf } from '../validate.js';
import { subscriberRepository } from './subscribers.js';

/** A row as the statements take it: validated, normalised, NT hash computed. */
interface Prepared {
  readonly index: number;
  readonly row: BulkSubscriberRow;
  readonly password: string | null;
  readonly ntHash: string;
  readonly framedIp: string | null;
  readonly mac: string | null;
  readonly simultaneousUse: number | null;
  readonly status: string;
}

/** Thrown out of the transaction to roll it back: a dry run, or a row that failed. */
class Rollback extends Error {}

/**
 * `fn` under a savepoint of `tx`, released after a refusal too (ROLLBACK TO keeps the savepoint, and the Sql's
 * nested transactions would leave one open per failed row), so the savepoints do not pile up. Each chunk that
 * writes is a subtransaction of the import's transaction; past 64 of them (64,000 rows) PostgreSQL's per-backend
 * cache of subtransaction ids overflows and other sessions' snapshots look them up in pg_subtrans until the import
 * ends: a slowdown for seconds, not a fault.
 */
async function underSavepoint<T>(tx: Sql, fn: () => Promise<T>): Promise<T> {
  await tx.query('SAVEPOINT tg_bulk_chunk');
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT tg_bulk_chunk');
    await tx.query('RELEASE SAVEPOINT tg_bulk_chunk');
    throw err;
  }
  await tx.query('RELEASE SAVEPOINT tg_bulk_chunk');
  return result;
}

/** What a row says of the subscriber itself (not its report line, nor the new account's opening figures). */
function subscriberFieldsOf(row: BulkSubscriberRow): object {
  const fields: Record<string, unknown> = { ...row };
  delete fields.where;
  delete fields.creditLimit;
  delete fields.balance;
  return fields;
}

/** The store's validators on one row; a RangeError or StoreError names the field. */
function prepare(index: number, row: BulkSubscriberRow): Prepared {
  // The subscriber's own fields by the API's rules (one schema), as the single-row repository checks them.
  checkSubscriber(subscriberFieldsOf(row));
  nonEmpty('username', row.username);
  if ((row.password === undefined) === (row.ntHash === undefined)) throw new RangeError('password: give exactly one of password and ntHash');
  if (row.creditLimit !== undefined) boundedAmount('creditLimit', count('creditLimit', row.creditLimit));
  if (row.balance !== undefined) boundedAmount('balance', intInRange('balance', row.balance, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  if (row.accountId !== undefined) intInRange('accountId', row.accountId, 1, Number.MAX_SAFE_INTEGER);
  if (row.tariffId !== undefined) intInRange('tariffId', row.tariffId, 1, Number.MAX_SAFE_INTEGER);
  return {
    index,
    row,
    password: row.password ?? null,
    ntHash: row.password !== undefined ? ntPasswordHash(row.password).toString('hex') : ntHash('ntHash', row.ntHash!),
    framedIp: row.framedIp === undefined ? null : hostAddress('framedIp', row.framedIp),
    mac: row.mac === undefined ? null : macAddress('mac', row.mac),
    simultaneousUse: row.simultaneousUse === undefined ? null : intInRange('simultaneousUse', row.simultaneousUse, 1, 65_535),
    status: row.status === undefined ? 'active' : oneOf('status', row.status, SUBSCRIBER_STATUSES),
  };
}

/** "framedIp: must be an IP address" → framedIp; StoreErrors carry it. */
function failure(index: number, err: unknown): BulkRowOutcome {
  const message = (err as Error).message;
  const field = err instanceof StoreError ? err.field : /^([A-Za-z]+): /.exec(message)?.[1];
  return { index, action: 'failed', reason: message, ...(field === undefined ? {} : { field }) };
}

const INSERT_ACCOUNTS = /* sql */ `
  INSERT INTO accounts (id, balance, credit_limit, state)
  SELECT u.id, 0, u.credit_limit, 'active' FROM unnest($1::bigint[], $2::bigint[]) AS u (id, credit_limit)`;

const INSERT_ADJUSTMENTS = /* sql */ `
  INSERT INTO adjustments (account_id, amount, reason)
  SELECT u.account_id, u.amount, $3 FROM unnest($1::bigint[], $2::bigint[]) AS u (account_id, amount)`;

// New accounts start at 0 and each gets one opening balance within ±10^15: the sum cannot leave the bounds.
const MOVE_BALANCES = /* sql */ `
  UPDATE accounts a SET balance = a.balance + u.amount
  FROM unnest($1::bigint[], $2::bigint[]) AS u (account_id, amount) WHERE a.id = u.account_id`;

const INSERT_SUBSCRIBERS = /* sql */ `
  INSERT INTO subscribers (username, password_cleartext, nt_hash, account_id, tariff_id, framed_ip, framed_pool, mac, simultaneous_use, status)
  SELECT u.username, u.password, u.nt_hash, u.account_id, u.tariff_id, u.framed_ip::inet, u.framed_pool, u.mac::macaddr, u.simultaneous_use, u.status
  FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::text[])
    AS u (username, password, nt_hash, account_id, tariff_id, framed_ip, framed_pool, mac, simultaneous_use, status)
  RETURNING id, username`;

// New subscribers have no earlier subscription, so each opens from today.
const INSERT_SUBSCRIPTIONS = /* sql */ `
  INSERT INTO subscriptions (account_id, subscriber_id, tariff_id, activated_on)
  SELECT u.account_id, u.subscriber_id, u.tariff_id, $4::date FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u (account_id, subscriber_id, tariff_id)`;

export interface BulkImportRepositoryOptions {
  /** IANA time zone of fee days (default 'UTC'); must equal the fee scheduler's. */
  readonly feeTimeZone?: string;
  readonly now?: () => Date;
}

export function bulkImportRepository(raw: Sql, options: BulkImportRepositoryOptions = {}): BulkImportRepository {
  const sql = withStoreErrors(raw);
  const timeZone = checkTimeZone(options.feeTimeZone ?? 'UTC');
  const now = options.now ?? (() => new Date());

  /** One chunk inside `tx`; throws when the database refuses any of its rows. */
  async function applyChunk(tx: Sql, chunk: readonly Prepared[], opts: BulkImportOptions): Promise<BulkRowOutcome[]> {
    const out: BulkRowOutcome[] = [];
    const existing = new Map(
      (await tx.query<{ id: number; username: string; account_id: number }>('SELECT id, username, account_id FROM subscribers WHERE username = ANY($1::text[])', [
        chunk.map((p) => p.row.username),
      ])).map((r) => [r.username, r]),
    );
    const fresh: Prepared[] = [];
    const subscribers = subscriberRepository(tx, { feeTimeZone: timeZone, now });
    for (const p of chunk) {
      const found = existing.get(p.row.username);
      if (!found) {
        fresh.push(p);
        continue;
      }
      if (!opts.update) {
        out.push({ index: p.index, action: 'skipped', reason: 'the username exists (re-run with --update to change it)', subscriberId: found.id, accountId: found.account_id });
        continue;
      }
      const updated = await subscribers.update(found.id, subscriberPatchOf(p.row));
      out.push({ index: p.index, action: 'updated', subscriberId: found.id, accountId: updated?.accountId ?? found.account_id });
    }
    if (fresh.length === 0) return out;

    // Accounts first, with ids taken from the sequence, so each row knows its account without relying on the
    // order of RETURNING.
    const needAccount = fresh.filter((p) => p.row.accountId === undefined);
    const accountOf = new Map<number, number>();
    if (needAccount.length > 0) {
      const ids = await tx.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('accounts', 'id')) AS id FROM generate_series(1, $1::integer)", [needAccount.length]);
      needAccount.forEach((p, i) => accountOf.set(p.index, Number(ids[i]!.id)));
      await tx.query(INSERT_ACCOUNTS, [needAccount.map((p) => accountOf.get(p.index)), needAccount.map((p) => p.row.creditLimit ?? 0)]);
      const opening = needAccount.filter((p) => p.row.balance !== undefined && p.row.balance !== 0);
      if (opening.length > 0) {
        const accountIds = opening.map((p) => accountOf.get(p.index)!);
        const amounts = opening.map((p) => p.row.balance!);
        await tx.query(INSERT_ADJUSTMENTS, [accountIds, amounts, opts.openingBalanceReason]);
        await tx.query(MOVE_BALANCES, [accountIds, amounts]);
        await rederiveAccountStates(tx, accountIds, 'adjustment');
      }
    }
    const accountId = (p: Prepared): number => p.row.accountId ?? accountOf.get(p.index)!;
    const inserted = await tx.query<{ id: number; username: string }>(INSERT_SUBSCRIBERS, [
      fresh.map((p) => p.row.username),
      fresh.map((p) => p.password),
      fresh.map((p) => p.ntHash),
      fresh.map(accountId),
      fresh.map((p) => p.row.tariffId ?? null),
      fresh.map((p) => p.framedIp),
      fresh.map((p) => p.row.framedPool ?? null),
      fresh.map((p) => p.mac),
      fresh.map((p) => p.simultaneousUse),
      fresh.map((p) => p.status),
    ]);
    const idOf = new Map(inserted.map((r) => [r.username, Number(r.id)]));
    const paying = fresh.filter((p) => p.row.tariffId !== undefined && p.status !== 'disabled');
    if (paying.length > 0) {
      await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [FEE_SUBSCRIPTIONS_LOCK_KEY]);
      await tx.query(INSERT_SUBSCRIPTIONS, [paying.map(accountId), paying.map((p) => idOf.get(p.row.username)), paying.map((p) => p.row.tariffId), dayInTimeZone(now(), timeZone)]);
    }
    for (const p of fresh) out.push({ index: p.index, action: 'created', subscriberId: idOf.get(p.row.username)!, accountId: accountId(p) });
    return out;
  }

  const refused = (err: unknown): boolean => err instanceof StoreError ? err.code !== 'STORE_UNAVAILABLE' : err instanceof RangeError || isDataError(err);

  /** One chunk's rows under savepoints: their outcomes in input order, failures included. */
  async function checkChunk(tx: Sql, rows: readonly BulkSubscriberRow[], start: number, opts: BulkImportOptions): Promise<BulkRowOutcome[]> {
    const out: BulkRowOutcome[] = [];
    const chunk: Prepared[] = [];
    rows.forEach((row, i) => {
      try {
        chunk.push(prepare(start + i, row));
      } catch (err) {
        if (!(err instanceof RangeError || err instanceof StoreError)) throw err;
        out.push(failure(start + i, err));
      }
    });
    if (chunk.length > 0) {
      try {
        out.push(...(await underSavepoint(tx, () => applyChunk(tx, chunk, opts))));
      } catch (err) {
        if (!refused(err)) throw err;
        // Row by row, each under its own savepoint, to name every row the database refuses.
        for (const p of chunk) {
          try {
            out.push(...(await underSavepoint(tx, () => applyChunk(tx, [p], opts))));
          } catch (rowErr) {
            if (!refused(rowErr)) throw rowErr;
            out.push(failure(p.index, rowErr));
          }
        }
      }
    }
    return out.sort((a, b) => a.index - b.index);
  }

  return {
    async importSubscribers(rows, opts): Promise<BulkImportResult> {
      const chunkSize = opts.chunkSize ?? 1000;
      intInRange('chunkSize', chunkSize, 1, 100_000);
      const maxFailures = opts.maxFailures ?? 100;
      intInRange('maxFailures', maxFailures, 1, 1_000_000);
      const outcomes: BulkRowOutcome[] = [];
      let failed = 0;
      let stoppedAt: number | undefined;
      try {
        // One transaction for the input: the shared subscriptions lock, once taken, is held to its end, so a fee
        // run waits for the import (seconds) rather than seeing part of it.
        await sql.transaction(async (tx) => {
          for (let start = 0; start < rows.length && stoppedAt === undefined; start += chunkSize) {
            for (const o of await checkChunk(tx, rows.slice(start, start + chunkSize), start, opts)) {
              outcomes.push(o);
              if (o.action === 'failed' && ++failed === maxFailures) {
                // Enough to fix first: the rest of the file is not looked at (nor the rest of this chunk reported).
                if (o.index + 1 < rows.length) stoppedAt = o.index + 1;
                break;
              }
            }
            if (stoppedAt === undefined) opts.onProgress?.(Math.min(start + chunkSize, rows.length), rows.length);
          }
          if (failed > 0 || opts.dryRun) throw new Rollback();
        });
      } catch (err) {
        if (!(err instanceof Rollback)) throw err;
      }
      return { rows: outcomes, written: failed === 0 && !opts.dryRun, ...(stoppedAt === undefined ? {} : { stoppedAt }) };
    },
  };
}
