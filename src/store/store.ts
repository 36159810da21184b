/**
 * The Store on any `Sql` (PostgreSQL or PGlite): every repository, SQL written once. Unique and foreign-key
 * violations surface as StoreErrors naming the input field (db-errors.ts).
 */
import { withStoreErrors } from './db-errors.js';
import type { Sql, Store } from '../domain/ports.js';
import { accountingHeldRepository } from './repositories/accounting-held.js';
import { accountRepository } from './repositories/accounts.js';
import { authLogRepository } from './repositories/auth-log.js';
import { housekeepingRepository } from './repositories/housekeeping.js';
import { ledgerRepository } from './repositories/ledger.js';
import { nasRepository } from './repositories/nas.js';
import { sessionRepository } from './repositories/sessions.js';
import { subscriberRepository } from './repositories/subscribers.js';
import { tariffRepository } from './repositories/tariffs.js';

/**
 * @example
 * const sql = await createPGliteSql('memory');
 * await runMigrations(sql);
 * const store = createStore(sql);
 * const account = await store.accounts.create({ creditLimit: 0 });
 */
export interface StoreOptions {
  /** IANA time zone whose calendar days are fee days (subscriptions open and end on them); default UTC. */
  readonly feeTimeZone?: string;
}

export function createStore(sql: Sql, options: StoreOptions = {}): Store {
  const db = withStoreErrors(sql);
  return {
    sql,
    nas: nasRepository(db),
    tariffs: tariffRepository(db),
    accounts: accountRepository(db),
    subscribers: subscriberRepository(db, options.feeTimeZone !== undefined ? { feeTimeZone: options.feeTimeZone } : {}),
    authLog: authLogRepository(db),
    ledger: ledgerRepository(db),
    sessions: sessionRepository(db),
    accountingHeld: accountingHeldRepository(db),
    housekeeping: housekeepingRepository(db),
  };
}
