/**
 * The Store on any `Sql` (PostgreSQL or PGlite): every repository, SQL written once. Unique and foreign-key
 * violations surface as StoreErrors naming the input field (db-errors.ts).
 */
import { isDataException, sqlStateOf, withStoreErrors } from './db-errors.js';
import type { SnapshotLookup, Store, SubscriberLookup, SubscriberRepository } from '../domain/ports.js';
import type { Sql } from './sql.js';
import { accountingHeldRepository } from './repositories/accounting-held.js';
import { accountRepository } from './repositories/accounts.js';
import { auditRepository } from './repositories/audit.js';
import { authLogRepository } from './repositories/auth-log.js';
import { coaRepository } from './repositories/coa.js';
import { consoleRepository } from './repositories/console.js';
import { feeRunRepository } from './repositories/fees.js';
import { accountingJournalRepository } from './repositories/journal.js';
import { housekeepingRepository } from './repositories/housekeeping.js';
import { ledgerRepository } from './repositories/ledger.js';
import { nasRepository } from './repositories/nas.js';
import { operatorRepository, operatorSessionRepository, operatorTokenRepository } from './repositories/operators.js';
import { accountingRatingRepository } from './repositories/rating.js';
import { sessionRepository } from './repositories/sessions.js';
import { statementRepository } from './repositories/statements.js';
import { subscriberRepository } from './repositories/subscribers.js';
import { tariffChangeRepository } from './repositories/tariff-changes.js';
import { tariffRepository } from './repositories/tariffs.js';

/**
 * @example
 * const sql = await createPGliteSql('memory');
 * await runMigrations(sql);
 * const store = createStore(sql);
 * const account = await store.accounts.create({ creditLimit: 0 });
 * await store.transaction(async (tx) => {
 *   const a = await tx.accounts.create({});
 *   await tx.subscribers.create({ username: 'carol', password: 'pw', accountId: a.id });
 * });
 */
export interface StoreOptions {
  /** IANA time zone whose calendar days are fee days (subscriptions open and end on them); default UTC. */
  readonly feeTimeZone?: string;
  /** The clock of the fee days the repositories write (subscriptions, scheduled tariff changes); tests fake it. */
  readonly now?: () => Date;
}

/** The subscriber repository with the access path's look-up: a username refused as data is `refused`, not thrown. */
function withLookup(repo: SubscriberRepository): SubscriberRepository & SubscriberLookup {
  return {
    ...repo,
    async lookup(username): Promise<SnapshotLookup> {
      try {
        const snapshot = await repo.snapshot(username);
        return snapshot ? { kind: 'found', snapshot } : { kind: 'absent' };
      } catch (err) {
        if (!isDataException(err)) throw err;
        return { kind: 'refused', reason: err instanceof Error ? err.message : String(err), code: sqlStateOf(err) };
      }
    },
  };
}

/** The fee time zone and clock of the repositories that write fee days, as given. */
function dayOptions(options: StoreOptions): { feeTimeZone?: string; now?: () => Date } {
  return { ...(options.feeTimeZone !== undefined ? { feeTimeZone: options.feeTimeZone } : {}), ...(options.now ? { now: options.now } : {}) };
}

/** The repositories on `db` (already turning violations into StoreErrors); `sql` is the driver's own, for the paths that classify its errors. */
function storeOn(sql: Sql, db: Sql, options: StoreOptions): Store {
  return {
    nas: nasRepository(db),
    tariffs: tariffRepository(db),
    accounts: accountRepository(db),
    subscribers: withLookup(subscriberRepository(db, dayOptions(options))),
    tariffChanges: tariffChangeRepository(db, dayOptions(options)),
    authLog: authLogRepository(db),
    ledger: ledgerRepository(db),
    sessions: sessionRepository(db),
    accountingHeld: accountingHeldRepository(db),
    statements: statementRepository(db),
    coa: coaRepository(db),
    operators: operatorRepository(db),
    operatorTokens: operatorTokenRepository(db),
    operatorSessions: operatorSessionRepository(db),
    audit: auditRepository(db),
    console: consoleRepository(db),
    // The transaction's Sql is wrapped already (withStoreErrors wraps what it hands to fn).
    transaction: (fn) => db.transaction((tx) => fn(storeOn(tx, tx, options))),
    // The accounting path and the fee run see the driver's errors (they classify SQLSTATEs and retry).
    accountingJournal: accountingJournalRepository(sql),
    accountingRating: accountingRatingRepository(sql),
    feeRuns: feeRunRepository(sql),
    housekeeping: housekeepingRepository(db),
  };
}

export function createStore(sql: Sql, options: StoreOptions = {}): Store {
  return storeOn(sql, withStoreErrors(sql), options);
}
