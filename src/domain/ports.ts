/**
 * Ports: what the core and the API need from storage. Adapters: PostgreSQL (pg) and PGlite implement `Sql`
 * (same schema, same SQL); `Store` builds every repository on any `Sql`. Redis (ioredis) and an in-process
 * map implement `HotCache`. One contract suite (test/contract) runs against every implementation.
 */
import type {
  Account,
  AccountState,
  AuthLogEntry,
  Nas,
  Page,
  Subscriber,
  SubscriberSnapshot,
  SubscriberStatus,
  Tariff,
  VendorName,
} from './types.js';

/** A PostgreSQL connection or pool. Parameters are $1, $2 … as in PostgreSQL. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** 'postgres' or 'pglite', for logs and metrics. */
  readonly kind: 'postgres' | 'pglite';
}

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

export type NasInput = Pick<Nas, 'name' | 'address' | 'secret' | 'vendor'> &
  Partial<Pick<Nas, 'coaPort' | 'requireMessageAuthenticator' | 'limitProxyState'>>;
export type NasPatch = Partial<Omit<NasInput, never>>;

export type TariffInput = Pick<Tariff, 'name'> &
  Partial<Pick<Tariff, 'monthlyFee' | 'downKbps' | 'upKbps' | 'pricePerGB' | 'includedBytes' | 'pricePerMinute'>>;
export type TariffPatch = Partial<TariffInput>;

export interface AccountInput {
  readonly creditLimit?: number;
}
export type AccountPatch = AccountInput;

export interface SubscriberInput {
  readonly username: string;
  /** Cleartext; stored as given (for CHAP) unless `storeCleartext` is false, and always as an NT hash. */
  readonly password?: string;
  /** 32 hex digits, when only the NT hash is known (PAP, MS-CHAPv2; no CHAP). */
  readonly ntHash?: string;
  readonly accountId: number;
  readonly tariffId?: number | null;
  readonly framedIp?: string | null;
  readonly framedPool?: string | null;
  readonly mac?: string | null;
  readonly simultaneousUse?: number | null;
  readonly status?: SubscriberStatus;
}
export type SubscriberPatch = Partial<SubscriberInput>;

/**
 * Thrown by repositories for conflicts the API turns into 4xx (unique names, missing references, money beyond
 * ±10^15 minor units: STORE_OUT_OF_RANGE, see src/store/money.ts).
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: 'STORE_CONFLICT' | 'STORE_NOT_FOUND' | 'STORE_REFERENCE' | 'STORE_UNAVAILABLE' | 'STORE_OUT_OF_RANGE',
    message: string,
    /** The input field the problem is about, when there is one. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface NasRepository {
  list(): Promise<Nas[]>;
  get(id: number): Promise<Nas | undefined>;
  create(input: NasInput): Promise<Nas>;
  update(id: number, patch: NasPatch): Promise<Nas | undefined>;
  delete(id: number): Promise<boolean>;
}

export interface TariffRepository {
  list(page: PageRequest): Promise<Page<Tariff>>;
  get(id: number): Promise<Tariff | undefined>;
  create(input: TariffInput): Promise<Tariff>;
  update(id: number, patch: TariffPatch): Promise<Tariff | undefined>;
  /** StoreError STORE_REFERENCE while subscribers use it. */
  delete(id: number): Promise<boolean>;
}

export interface AccountRepository {
  list(page: PageRequest): Promise<Page<Account>>;
  get(id: number): Promise<Account | undefined>;
  create(input: AccountInput): Promise<Account>;
  /** Re-derives the state (active/blocked) from balance + credit in the same transaction. */
  update(id: number, patch: AccountPatch): Promise<Account | undefined>;
  /** StoreError STORE_REFERENCE while subscribers belong to it. */
  delete(id: number): Promise<boolean>;
}

export interface SubscriberRepository {
  list(page: PageRequest, filter?: { username?: string; accountId?: number }): Promise<Page<Subscriber>>;
  get(id: number): Promise<Subscriber | undefined>;
  create(input: SubscriberInput): Promise<Subscriber>;
  update(id: number, patch: SubscriberPatch): Promise<Subscriber | undefined>;
  delete(id: number): Promise<boolean>;
  /** The AAA view of one subscriber by username (exact match), or undefined. */
  snapshot(username: string): Promise<SubscriberSnapshot | undefined>;
  /** Snapshots of the subscribers of one account (for invalidation after a balance change). */
  snapshotsOfAccount(accountId: number): Promise<SubscriberSnapshot[]>;
  /** Every snapshot, in batches ordered by id, for warming the cache at start-up. */
  snapshotBatches(batchSize: number): AsyncIterable<SubscriberSnapshot[]>;
}

export interface AuthLogRepository {
  /** One multi-row INSERT for the batch. */
  append(entries: readonly AuthLogEntry[]): Promise<void>;
  /** Newest first. */
  query(filter: { username?: string; limit: number; before?: string }): Promise<AuthLogEntry[]>;
  /** Deletes up to `limit` of the oldest entries dated before `cutoff` (ISO time); returns how many. */
  deleteOlderThan(cutoff: string, limit: number): Promise<number>;
}

/** Money received (minor units > 0), idempotent on the payment system's `externalId`. */
export interface Payment {
  readonly id: number;
  readonly accountId: number;
  readonly amount: number;
  readonly externalId: string;
  readonly comment: string | null;
  readonly createdAt: string;
}

/** A manual correction of a balance (signed minor units, never 0). */
export interface Adjustment {
  readonly id: number;
  readonly accountId: number;
  readonly amount: number;
  readonly reason: string;
  readonly createdAt: string;
}

/** Temporary credit: counts toward the allowance while `expiresAt` is in the future. Not money: no ledger row. */
export interface Credit {
  readonly id: number;
  readonly accountId: number;
  readonly amount: number;
  readonly expiresAt: string;
  readonly reason: string;
  readonly createdAt: string;
  /** Unexpired when read. */
  readonly active: boolean;
}

export type ChargeKind = 'traffic' | 'time' | 'fee' | 'one_off';

/** Money taken (written by rating, the fee run and one-off charges; read here). */
export interface Charge {
  readonly id: number;
  readonly accountId: number;
  readonly kind: ChargeKind;
  readonly amount: number;
  readonly sessionId: number | null;
  readonly subscriptionId: number | null;
  /** YYYY-MM-DD (UTC) for `fee` charges, else null. */
  readonly feeDay: string | null;
  readonly comment: string | null;
  readonly createdAt: string;
}

export interface PaymentInput {
  readonly accountId: number;
  readonly amount: number;
  readonly externalId: string;
  readonly comment?: string | null;
}

export interface PaymentResult {
  readonly payment: Payment;
  /** False when `externalId` was already paid (a redelivery): nothing changed. */
  readonly created: boolean;
}

export interface AdjustmentInput {
  readonly accountId: number;
  readonly amount: number;
  readonly reason: string;
}

export interface CreditInput {
  readonly accountId: number;
  readonly amount: number;
  /** ISO-8601 instant; must be in the future. */
  readonly expiresAt: string;
  readonly reason: string;
}

export interface LedgerMismatch {
  readonly accountId: number;
  readonly balance: number;
  /** Σ payments + Σ adjustments − Σ charges. */
  readonly expected: number;
}

/** A session whose Σ charges of one kind differ from what the session row says it was charged. */
export interface SessionChargeMismatch {
  readonly sessionId: number;
  readonly accountId: number | null;
  readonly kind: 'traffic' | 'time';
  /** sessions.charged_traffic or sessions.charged_time. */
  readonly charged: number;
  /** Σ charges.amount of that kind and session. */
  readonly charges: number;
}

/** A session whose charged_time is not floor(rated_seconds × price_per_minute / 60) under its subscriber's tariff. */
export interface SessionTimeMismatch {
  readonly sessionId: number;
  readonly subscriberId: number;
  readonly ratedSeconds: number;
  /** The subscriber's tariff now (0 without one). */
  readonly pricePerMinute: number;
  readonly chargedTime: number;
  readonly expected: number;
}

/** A usage month whose charged_traffic is not floor(max(0, octets − included_bytes) × price_per_gb / 10^9). */
export interface UsageTrafficMismatch {
  readonly subscriberId: number;
  /** YYYY-MM-DD, the first of the month (UTC). */
  readonly month: string;
  readonly octets: number;
  readonly includedBytes: number;
  readonly pricePerGB: number;
  readonly chargedTraffic: number;
  readonly expected: number;
}

/** One class of problems: how many there are, and the first VERIFY_LIST_LIMIT of them. */
export interface VerifyList<T> {
  readonly count: number;
  readonly items: readonly T[];
}

/** Records that should have been rated or dealt with by now. */
export interface JournalCheck {
  /** accounting_journal rows received more than five minutes ago (the rater should have taken them). */
  readonly stranded: number;
  /** Age in seconds of the oldest stranded row; null when there is none. */
  readonly oldestStrandedSeconds: number | null;
  /** Rows in accounting_journal_rejected (each needs an operator: fix and replay, or delete). */
  readonly rejected: number;
}

export interface LedgerVerification {
  /** Accounts checked. */
  readonly accounts: number;
  /** Accounts whose balance ≠ Σ payments + Σ adjustments − Σ charges (every one of them). */
  readonly mismatches: readonly LedgerMismatch[];
  /** Sessions checked. */
  readonly sessions: number;
  /** Σ traffic/time charges of a session ≠ its charged_traffic/charged_time. */
  readonly sessionCharges: VerifyList<SessionChargeMismatch>;
  /** charged_time ≠ the cumulative floor of rated_seconds under the subscriber's current tariff. */
  readonly sessionTime: VerifyList<SessionTimeMismatch>;
  /** Usage months checked. */
  readonly usageMonths: number;
  /** charged_traffic of a usage month ≠ the cumulative floor of its octets under the subscriber's current tariff. */
  readonly usageTraffic: VerifyList<UsageTrafficMismatch>;
  readonly journal: JournalCheck;
  /** Every problem above counted (mismatches, list counts, stranded and rejected rows): 0 when all holds. */
  readonly problems: number;
}

/**
 * Money rows and temporary credit. Every write changes the rows and `accounts.balance` in one transaction and
 * re-derives the account's state in it (invariants 1 and 2 of docs/schema.md). An unknown account is
 * StoreError STORE_REFERENCE on `accountId`.
 */
export interface LedgerRepository {
  /**
   * Idempotent on `externalId`: a new one adds `amount` to the balance (`created: true`); the same one with the
   * same account and amount returns the existing payment (`created: false`) and changes nothing; with another
   * account or amount it is StoreError STORE_CONFLICT on `externalId`. Concurrent identical payments apply once.
   */
  pay(input: PaymentInput): Promise<PaymentResult>;
  /** Adds the signed, non-zero `amount` to the balance. */
  adjust(input: AdjustmentInput): Promise<Adjustment>;
  grantCredit(input: CreditInput): Promise<Credit>;
  /** Every credit of the account (expired ones too), newest first. */
  listCredits(accountId: number): Promise<Credit[]>;
  /** Newest first. */
  charges(accountId: number, page: PageRequest): Promise<Page<Charge>>;
  payments(accountId: number, page: PageRequest): Promise<Page<Payment>>;
  adjustments(accountId: number, page: PageRequest): Promise<Page<Adjustment>>;
  /**
   * Checks balance = Σ payments + Σ adjustments − Σ charges for every account; each session's charges against
   * its charged_* columns; charged_time and usage months' charged_traffic against the cumulative floors under
   * the subscriber's current tariff; and the journal for stranded (older than five minutes) and rejected rows.
   * One query per check; values beyond ±(2^53 − 1) are reported clamped (comparisons are exact, in SQL).
   */
  verify(): Promise<LedgerVerification>;
  /**
   * Re-derives the accounts whose credits expired since this repository's previous run (every expired credit
   * on the first run); returns the ids of the accounts whose state changed. Idempotent; safe on every instance.
   */
  expireCredits(): Promise<number[]>;
}

/** One accounting session (a row of `sessions`), as the API shows it. Counters are bytes and seconds. */
export interface Session {
  readonly id: number;
  readonly username: string;
  /** NAS name (`sessions.nas_name`). */
  readonly nas: string;
  readonly acctSessionId: string;
  readonly framedIp: string | null;
  readonly callingStationId: string | null;
  readonly nasPort: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Null while the session is open. */
  readonly stoppedAt: string | null;
  readonly terminateCause: string | null;
  readonly inputOctets: number;
  readonly outputOctets: number;
  readonly sessionTime: number;
  readonly subscriberId: number | null;
  readonly accountId: number | null;
}

export interface SessionFilter {
  /** true: open sessions only; false: stopped ones only; absent: both. */
  readonly active?: boolean;
  readonly username?: string;
  readonly accountId?: number;
}

/** What `SessionRepository.exportRange` reads: sessions overlapping [from, to), optionally of one username or IP. */
export interface SessionExportFilter {
  /** Inclusive. A session overlaps when it started before `to` and was open at or after `from`. */
  readonly from: Date;
  /** Exclusive; after `from`. */
  readonly to: Date;
  readonly username?: string;
  /** Framed-IP-Address, a host address. */
  readonly ip?: string;
}

/** The NAS of a session as a Disconnect-Request needs it (from the `nas` table). Secret: never log it. */
export interface SessionNas {
  readonly id: number;
  readonly name: string;
  /** As stored: an address, or a CIDR. */
  readonly address: string;
  readonly secret: string;
  readonly coaPort: number;
  readonly vendor: VendorName;
}

/** A session and its NAS, when the NAS is in the `nas` table (by `nas_id`, else by name). */
export interface SessionWithNas {
  readonly session: Session;
  readonly nas: SessionNas | null;
}

/** Read access to `sessions` (written by the accounting pipeline), plus the stale-session sweep. */
export interface SessionRepository {
  /** Newest first (started_at, then id). */
  list(filter: SessionFilter, page: PageRequest): Promise<Page<Session>>;
  /** The sessions that held Framed-IP-Address `ip` at the instant `at` (bounds inclusive; open sessions unbounded). Newest first. */
  byIpAt(ip: string, at: Date): Promise<Session[]>;
  get(id: number): Promise<Session | undefined>;
  /** The session and what a Disconnect-Request needs of its NAS. */
  withNas(id: number): Promise<SessionWithNas | undefined>;
  /** Open sessions of `username` (Simultaneous-Use). */
  countActive(username: string): Promise<number>;
  /**
   * Every session overlapping the filter's range, oldest start first (started_at, then id), in pages of at most
   * `pageSize` rows read by keyset (each page one indexed query), so a month of sessions never sits in memory.
   */
  exportRange(filter: SessionExportFilter, pageSize?: number): AsyncIterable<Session[]>;
  /**
   * Closes open sessions whose `updated_at` is more than `olderThanSeconds` before `now` (default: the database
   * clock): stopped_at = updated_at, terminate_cause 'Stale-Session'. Returns how many. Rows being written at the
   * moment are skipped (they are not stale).
   */
  closeStale(olderThanSeconds: number, now?: Date): Promise<number>;
}

export type HeldState = 'held' | 'approved' | 'discarded';
export const HELD_STATES: readonly HeldState[] = ['held', 'approved', 'discarded'];

/** Why the rater held a record (docs/accounting.md rule 7). */
export type HeldReason = 'octet_rate' | 'session_time';

/** The held record itself, as the review API shows it: bigints as decimal strings, times ISO-8601. */
export interface HeldRecordView {
  readonly status: string;
  readonly statusType: number;
  readonly acctSessionId: string;
  readonly username: string;
  readonly framedIp: string | null;
  readonly callingStationId: string | null;
  readonly nasPort: string | null;
  readonly sessionTime: string | null;
  readonly inputOctets: string | null;
  readonly outputOctets: string | null;
  readonly eventTime: string;
  readonly receivedAt: string;
  readonly delayTime: number;
  readonly terminateCause: string | null;
  /** The service the Access-Accept gave, as the NAS echoed it in Class; null without the echo. */
  readonly answered: 'restricted' | 'normal' | null;
}

/** One row of accounting_held: increments the rater would not charge without an operator. */
export interface HeldAccounting {
  readonly id: number;
  readonly heldAt: string;
  /** Null when the session was deleted since. */
  readonly sessionId: number | null;
  readonly accountId: number | null;
  readonly nas: string;
  readonly acctSessionId: string;
  readonly username: string;
  readonly reason: HeldReason;
  /** The claimed increments, decimal strings: they can exceed 2^64 (that is often why they were held). */
  readonly octets: string;
  readonly seconds: string;
  readonly elapsedSeconds: string;
  /** The record as journaled; null when it does not decode (it can only be discarded then). */
  readonly record: HeldRecordView | null;
  readonly state: HeldState;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly note: string | null;
}

export interface HeldFilter {
  readonly state?: HeldState;
  /** 1–1000. */
  readonly limit: number;
  /** Only rows with a larger id (the last id of the previous page): pages in id order. */
  readonly after?: number;
}

export interface HeldDecision {
  /** Who decided, as it is recorded in decided_by. */
  readonly by: string;
  readonly note?: string | null;
}

/**
 * The held-for-review queue (accounting_held, written by the rater). approve/discard decide a row still 'held'
 * (StoreError STORE_NOT_FOUND for an unknown id, STORE_CONFLICT when it was decided already); approve journals
 * the record again, marked approved, in the same transaction, so the rater applies it to its session.
 */
export interface AccountingHeldRepository {
  /** Oldest first (id order). */
  list(filter: HeldFilter): Promise<HeldAccounting[]>;
  get(id: number): Promise<HeldAccounting | undefined>;
  approve(id: number, decision: HeldDecision): Promise<HeldAccounting>;
  discard(id: number, decision: HeldDecision): Promise<HeldAccounting>;
  /** Rows still 'held' (the tollgate_accounting_held_pending gauge). */
  countPending(): Promise<number>;
}

export interface Store {
  readonly sql: Sql;
  readonly nas: NasRepository;
  readonly tariffs: TariffRepository;
  readonly accounts: AccountRepository;
  readonly subscribers: SubscriberRepository;
  readonly authLog: AuthLogRepository;
  readonly ledger: LedgerRepository;
  readonly sessions: SessionRepository;
  readonly accountingHeld: AccountingHeldRepository;
}

/** Shared hot state across instances (Redis), or in-process when Redis is not configured. */
export interface HotCache {
  get(key: string): Promise<string | null>;
  /** `ttlSeconds` 0 = no expiry. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Handler runs for every message on the channel, including this instance's own. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /**
   * Handler runs when the subscription connection is back after it was lost: messages published meanwhile
   * never arrived, so whoever caches what they announce must reload it. Absent where nothing can be lost.
   */
  onResubscribed?(handler: () => void): void;
  close(): Promise<void>;
  readonly kind: 'redis' | 'memory';
}

export type { AccountState, VendorName };

/** What changed, so every instance can refresh what it caches (published through HotCache pub/sub). */
export type ChangeEvent =
  | { readonly kind: 'subscriber'; readonly id: number; readonly usernames: readonly string[] }
  | { readonly kind: 'account'; readonly id: number }
  | { readonly kind: 'tariff'; readonly id: number }
  | { readonly kind: 'nas' };

export interface ChangeFeed {
  /** Tells every instance (this one included) that something changed. Call after the write committed. */
  publish(event: ChangeEvent): Promise<void>;
}

/**
 * One subscriber for the bulk import (`tollgate import csv`): the values already checked by the caller; the
 * repository checks them again with the store's validators before any SQL.
 */
export interface BulkSubscriberRow {
  /** Where the row came from, for the report ("line 7"). */
  readonly where: string;
  readonly username: string;
  readonly password?: string;
  readonly ntHash?: string;
  /** An existing account; absent: a new account for this subscriber. */
  readonly accountId?: number;
  /** Credit limit of the new account. */
  readonly creditLimit?: number;
  /** Opening balance of the new account (signed minor units), booked as an adjustment. */
  readonly balance?: number;
  readonly tariffId?: number;
  readonly framedIp?: string;
  readonly framedPool?: string;
  readonly mac?: string;
  readonly simultaneousUse?: number;
  readonly status?: SubscriberStatus;
}

export interface BulkRowOutcome {
  /** Index of the row in the input. */
  readonly index: number;
  readonly action: 'created' | 'updated' | 'skipped' | 'failed';
  readonly subscriberId?: number;
  readonly accountId?: number;
  /** Why it was skipped or failed. */
  readonly reason?: string;
  /** The input field a failure is about, when there is one (framedIp, username, …). */
  readonly field?: string;
}

export interface BulkImportOptions {
  /** Existing usernames are changed (credentials, tariff, address, limits, status; never the account). */
  readonly update: boolean;
  /** Everything is done and rolled back. */
  readonly dryRun: boolean;
  /** Rows per statement and per savepoint (default 1000). */
  readonly chunkSize?: number;
  /** Failed rows after which the import stops looking for more (default 100). */
  readonly maxFailures?: number;
  /** Reason of the opening-balance adjustments. */
  readonly openingBalanceReason: string;
  /** Called after each chunk with the rows done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BulkImportResult {
  /** The outcome of each row checked, by index ('created' and 'updated' are what the rows did before any rollback). */
  readonly rows: BulkRowOutcome[];
  /** Whether the rows are in the database: a real run in which no row failed. */
  readonly written: boolean;
  /** Set when the import stopped at maxFailures: the index of the first row it did not check. */
  readonly stoppedAt?: number;
}

/**
 * Subscribers in bulk, all or nothing: one transaction for the whole input, one multi-row statement per table
 * and chunk, each chunk under a savepoint. A chunk the database refuses is retried row by row to name every bad
 * row; if any row failed, nothing is written.
 */
export interface BulkImportRepository {
  importSubscribers(rows: readonly BulkSubscriberRow[], options: BulkImportOptions): Promise<BulkImportResult>;
}

/** One attribute row of FreeRADIUS's rlm_sql tables (radcheck, radreply). */
export interface FreeRadiusAttributeRow {
  readonly username: string;
  readonly attribute: string;
  readonly op: string;
  readonly value: string;
}

/** One client of FreeRADIUS's SQL `nas` table (read_clients = yes). */
export interface FreeRadiusNasRow {
  readonly nasname: string;
  readonly shortname: string | null;
  readonly type: string | null;
  readonly secret: string;
  readonly ports: number | null;
}

/**
 * A FreeRADIUS SQL database to import from. `DataError`-worthy problems (no such table) are thrown as
 * FreeRadiusSourceError with `schema` true; an unreachable server with `schema` false.
 */
export interface FreeRadiusSource {
  radcheck(): Promise<FreeRadiusAttributeRow[]>;
  radreply(): Promise<FreeRadiusAttributeRow[]>;
  radusergroup(): Promise<{ username: string; groupname: string }[]>;
  radgroupreply(groups: readonly string[]): Promise<{ groupname: string; attribute: string; value: string }[]>;
  /** The `nas` table, or undefined when the database has none (it is optional in rlm_sql). */
  nas(): Promise<FreeRadiusNasRow[] | undefined>;
  close(): Promise<void>;
}

export class FreeRadiusSourceError extends Error {
  override readonly name = 'FreeRadiusSourceError';
  constructor(
    message: string,
    /** The server answered with an SQL error: the database is not what it should be. */
    readonly schema: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
