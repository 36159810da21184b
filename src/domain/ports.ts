/**
 * Ports: what the core and the API need from storage. Adapters: PostgreSQL (pg) and PGlite implement `Sql`
 * (same schema, same SQL); `Store` builds every repository on any `Sql`. Redis (ioredis) and an in-process
 * map implement `HotCache`. One contract suite (test/contract) runs against every implementation.
 */
import type {
  Account,
  AccountState,
  AuthLogEntry,
  AuthLogRecord,
  Nas,
  Page,
  ScheduledTariffChange,
  Subscriber,
  SubscriberSnapshot,
  SubscriberStatus,
  Tariff,
  VendorName,
} from './types.js';
import type { AccountingRecord, AccountStateChange, RatingRules, RatingStats } from './accounting.js';
import type { AuditEntry, AuditInput, Operator, OperatorCredentials, OperatorToken, Role } from './operators.js';
import type { ConsoleRepository, DailyStatement, StatementRange } from './console.js';

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

export type NasInput = Pick<Nas, 'name' | 'address' | 'secret' | 'vendor'> &
  Partial<Pick<Nas, 'coaPort' | 'requireMessageAuthenticator' | 'limitProxyState' | 'tlsName'>>;
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
  /**
   * requireMessageAuthenticator auto: records that the NAS with this id sent a valid Message-Authenticator (the
   * first sighting is kept; later calls change nothing). True when this call recorded it, false when it was
   * recorded already or the row is gone.
   */
  messageAuthenticatorSeen(id: number): Promise<boolean>;
  /**
   * The same for a config-file client, which has no row: kept by the client's address (what selects the client
   * and its secret), with its name for the reader. True when this call recorded it.
   */
  configClientMessageAuthenticatorSeen(address: string, name: string): Promise<boolean>;
  /** The addresses of the config-file clients that have sent a valid Message-Authenticator. */
  configClientsWithMessageAuthenticator(): Promise<Set<string>>;
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

export interface SubscriberUpdateOptions {
  /**
   * The fee day the write takes effect on ('YYYY-MM-DD', fee time zone), default today: where the subscription
   * bookkeeping ends the open subscription (the day before) and opens the new one. The fee scheduler passes the day
   * it is about to charge when it applies a scheduled tariff change, so a catch-up over missed days starts the new
   * tariff on its day, not on the day the scheduler happened to run.
   */
  readonly fromDay?: string;
}

/** What scheduling a tariff change answers (TariffChangeRepository.schedule). */
export type ScheduleTariffChangeResult =
  | { readonly kind: 'scheduled'; readonly change: ScheduledTariffChange; readonly replaced: ScheduledTariffChange | null }
  | { readonly kind: 'no-subscriber' }
  /** The subscriber has no tariff: a first tariff is given now, there is no period to wait for. */
  | { readonly kind: 'no-current-tariff' }
  /** The tariff is the subscriber's current one. */
  | { readonly kind: 'same-tariff' };

/** A scheduled change the fee scheduler applied (for the subscriber change event). */
export interface AppliedTariffChange {
  readonly subscriberId: number;
  readonly username: string;
  readonly tariffId: number;
  /** The fee day the new tariff starts on: the day being charged. */
  readonly fromDay: string;
}

/**
 * Tariff changes scheduled for the next period (tariff_changes, docs/schema.md): at most one pending (neither
 * applied nor cancelled) per subscriber; scheduling another replaces it in the same transaction.
 */
export interface TariffChangeRepository {
  /**
   * Schedules `tariffId` from the next period's first day (billing/core/periods.ts nextPeriodStart of today in
   * the fee time zone), cancelling the pending one. A tariff that does not exist is STORE_REFERENCE on `tariffId`.
   */
  schedule(input: { readonly subscriberId: number; readonly tariffId: number; readonly operatorId: number | null }): Promise<ScheduleTariffChangeResult>;
  /** The pending change of each subscriber that has one, by subscriber id. */
  pending(subscriberIds: readonly number[]): Promise<Map<number, ScheduledTariffChange>>;
  /** Cancels the pending change; the cancelled change, or null when there was none. */
  cancel(subscriberId: number): Promise<ScheduledTariffChange | null>;
}

export interface SubscriberRepository {
  list(page: PageRequest, filter?: { username?: string; accountId?: number }): Promise<Page<Subscriber>>;
  get(id: number): Promise<Subscriber | undefined>;
  create(input: SubscriberInput): Promise<Subscriber>;
  update(id: number, patch: SubscriberPatch, options?: SubscriberUpdateOptions): Promise<Subscriber | undefined>;
  delete(id: number): Promise<boolean>;
  /** The AAA view of one subscriber by username (exact match), or undefined. */
  snapshot(username: string): Promise<SubscriberSnapshot | undefined>;
  /** Snapshots of the subscribers of one account (for invalidation after a balance change). */
  snapshotsOfAccount(accountId: number): Promise<SubscriberSnapshot[]>;
  /** Every snapshot, in batches ordered by id, for warming the cache at start-up. */
  snapshotBatches(batchSize: number): AsyncIterable<SubscriberSnapshot[]>;
}

/**
 * The access path's look-up of one username. A username the database cannot even compare (a data exception,
 * e.g. a NUL byte) names no subscriber: it is `refused`, told apart from a database that is away (which throws).
 */
export type SnapshotLookup =
  | { readonly kind: 'found'; readonly snapshot: SubscriberSnapshot }
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly reason: string; readonly code: string | undefined };

export interface SubscriberLookup {
  lookup(username: string): Promise<SnapshotLookup>;
}

export interface AuthLogRepository {
  /** One transaction for the batch (a COPY and the per-minute counts). */
  append(entries: readonly AuthLogEntry[]): Promise<void>;
  /**
   * Newest first (by at, then id). `before` alone: entries strictly older than that time; with `beforeId`, entries
   * after (before, beforeId) in that order, so a page boundary between entries of the same millisecond loses none.
   */
  query(filter: { username?: string; limit: number; before?: string; beforeId?: number }): Promise<AuthLogRecord[]>;
  /** Deletes up to `limit` of the oldest entries dated before `cutoff` (ISO time); returns how many. */
  deleteOlderThan(cutoff: string, limit: number): Promise<number>;
  /**
   * Writes what it can of a batch and never throws: an entry the database refuses for its data is isolated
   * (the batch is split in halves, and halves again) and left out alone; when the database is unavailable the
   * entries not yet written come back in `unwritten`, in order, to be retried.
   */
  appendIsolating(entries: readonly AuthLogEntry[]): Promise<AuthLogAppendOutcome>;
}

/** An entry the database refused on its own, and why (the database's message and error code). */
export interface AuthLogRejection {
  readonly entry: AuthLogEntry;
  readonly reason: string;
  /** SQLSTATE, when the database gave one. */
  readonly code: string | undefined;
}

/** What became of a batch given to AuthLogRepository.appendIsolating. */
export interface AuthLogAppendOutcome {
  /** Entries stored. */
  readonly written: number;
  /** Entries refused for their data, each alone: not stored, and never to be retried. */
  readonly rejected: readonly AuthLogRejection[];
  /** Statements the database refused for their data while the bad entries were isolated. */
  readonly refusals: number;
  /** Entries not written because the database is unavailable, in their order (empty when the batch is done). */
  readonly unwritten: readonly AuthLogEntry[];
  /** The error that left `unwritten`, when there are such entries. */
  readonly failure?: unknown;
}

/** Money received (minor units > 0), idempotent on the payment system's `externalId`. */
export interface Payment {
  readonly id: number;
  readonly accountId: number;
  readonly amount: number;
  readonly externalId: string;
  readonly comment: string | null;
  readonly createdAt: string;
  /** The operator who made it (null: the bootstrap admin, the CLI, the portal, or an operator since removed). */
  readonly operatorId: number | null;
  /** That operator's login, for statements. */
  readonly operatorLogin: string | null;
}

/** A manual correction of a balance (signed minor units, never 0). */
export interface Adjustment {
  readonly id: number;
  readonly accountId: number;
  readonly amount: number;
  readonly reason: string;
  readonly createdAt: string;
  /** The operator who made it (null: the bootstrap admin, the CLI, the portal, or an operator since removed). */
  readonly operatorId: number | null;
  /** That operator's login, for statements. */
  readonly operatorLogin: string | null;
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
  /** The operator who made it (null: the bootstrap admin, the CLI, the portal, or an operator since removed). */
  readonly operatorId: number | null;
  /** That operator's login, for statements. */
  readonly operatorLogin: string | null;
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
  /** The operator making it (recorded in the row and shown in statements). */
  readonly operatorId?: number | null;
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
  /** The operator making it (recorded in the row and shown in statements). */
  readonly operatorId?: number | null;
}

export interface CreditInput {
  readonly accountId: number;
  readonly amount: number;
  /** ISO-8601 instant; must be in the future. */
  readonly expiresAt: string;
  readonly reason: string;
  /** The operator making it (recorded in the row and shown in statements). */
  readonly operatorId?: number | null;
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

/** A subscription of an account as its statement shows it. */
export interface SubscriptionLine {
  readonly id: number;
  readonly tariffName: string;
  readonly monthlyFee: number;
  readonly downKbps: number;
  readonly upKbps: number;
  /** YYYY-MM-DD, a day of the fee time zone. */
  readonly activatedOn: string;
  readonly endsOn: string | null;
  /** Whose subscription it is (null when the subscriber was deleted). */
  readonly subscriberId: number | null;
}

/** Charges grouped for reading: a session's traffic or time charges in one line, fees and one-offs one by one. */
export interface ChargeLine {
  readonly kind: ChargeKind;
  readonly amount: number;
  /** Charges summed into the line. */
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly sessionId: number | null;
  readonly acctSessionId: string | null;
  readonly feeDay: string | null;
  readonly tariffName: string | null;
  readonly comment: string | null;
}

/** The charges of an account in a period, grouped into lines. */
export interface ChargeLines {
  /** Σ amount of every charge of the period (not only the lines returned). */
  readonly total: number;
  /** Newest first. */
  readonly lines: readonly ChargeLine[];
  /** More lines exist than were returned. */
  readonly truncated: boolean;
}

/** What a conditional credit grant is decided on, read under the account's row lock. */
export interface CreditGrantFacts {
  readonly subscriber: Subscriber;
  readonly account: Account;
  /** The newest credit of the account with the grant's reason, if any. */
  readonly lastGrantedAt: Date | undefined;
}

/** Grant `amount` until `expiresAt` (ISO-8601), or refuse with the caller's own answer. */
export type CreditGrantDecision<R> = { readonly grant: { readonly amount: number; readonly expiresAt: string } } | { readonly refuse: R };

/**
 * An account's statement as the subscriber reads it (the portal and the billing widget): subscriptions, charges
 * grouped by session, and the temporary credits the subscriber grants themself. Sums and amounts are read
 * clamped to ±(2^53 − 1), so a legacy row beyond that is shown instead of failing the page.
 */
export interface StatementRepository {
  /** Subscriptions not ended before `today` (YYYY-MM-DD of the fee time zone), newest first, at most 50. */
  subscriptions(accountId: number, today: string): Promise<SubscriptionLine[]>;
  /** Charges created in [from, to), at most `maxLines` lines, and the total of all of them. */
  chargeLines(accountId: number, from: Date, to: Date, maxLines: number): Promise<ChargeLines>;
  /** When the account's newest credit with this reason was granted, if ever. */
  lastCreditAt(accountId: number, reason: string): Promise<Date | undefined>;
  /**
   * The statement by day with its running balance (the balance now minus every movement since the first day, in
   * one statement); undefined for an unknown account.
   */
  daily(accountId: number, range: StatementRange): Promise<DailyStatement | undefined>;
  /**
   * In one transaction holding the account's row lock: reads the subscriber (who must belong to the account),
   * the account and its newest credit with `reason`, asks `decide` (synchronous: nothing else may run while the
   * lock is held), and grants the credit it names as LedgerRepository.grantCredit does (the state re-derived).
   * Undefined when the subscriber or account does not exist or the subscriber is of another account. Two
   * concurrent calls for one account decide one after the other, so an interval check cannot pass twice.
   */
  grantCreditIf<R>(
    request: { readonly subscriberId: number; readonly accountId: number; readonly reason: string },
    decide: (facts: CreditGrantFacts) => CreditGrantDecision<R>,
  ): Promise<{ readonly granted: Credit } | { readonly refused: R } | undefined>;
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

/** An open session as Simultaneous-Use counts it. */
export interface OpenSession {
  /** `sessions.id`. */
  readonly id: number;
  readonly username: string;
  /** NAS name. */
  readonly nas: string;
  /** `sessions.updated_at` in whole seconds since the epoch, rounded up (a session never looks older than it is). */
  readonly updatedAt: number;
}

/**
 * What one committed rating pass did to open sessions (published as the `sessions` change event). Applied in
 * this order: `nasRestarts`, `closed`, `open`.
 */
export interface SessionChanges {
  /** NAS names whose Accounting-On/Off closed every session they had open before it. */
  readonly nasRestarts: readonly string[];
  /** Sessions the pass closed (Stop, Accounting-On/Off) or left closed: [id, username]. */
  readonly closed: readonly (readonly [id: number, username: string])[];
  /** Sessions open after the pass (started or refreshed by it): [id, username, NAS, updatedAt as in OpenSession]. */
  readonly open: readonly (readonly [id: number, username: string, nas: string, updatedAt: number])[];
}

/** Read access to `sessions` (written by the accounting pipeline), plus the stale-session sweep. */
/**
 * How long a session may go unheard before it is stale (its Stop lost): seconds per NAS name, else the default
 * (aaa/stale-limits.ts derives them from each NAS's Acct-Interim-Interval).
 */
export interface StaleLimits {
  readonly defaultSeconds: number;
  readonly byNas: Readonly<Record<string, number>>;
}

export interface SessionRepository {
  /** Newest first (started_at, then id). */
  list(filter: SessionFilter, page: PageRequest): Promise<Page<Session>>;
  /** The sessions that held Framed-IP-Address `ip` at the instant `at` (bounds inclusive; open sessions unbounded). Newest first. */
  byIpAt(ip: string, at: Date): Promise<Session[]>;
  get(id: number): Promise<Session | undefined>;
  /** The session and what a Disconnect-Request needs of its NAS. */
  withNas(id: number): Promise<SessionWithNas | undefined>;
  /** Every open session row of `username`, stale or not (Simultaneous-Use counts with countedSessions). */
  countActive(username: string): Promise<number>;
  /**
   * The open sessions of `username` that Simultaneous-Use counts (the confirming query of a reject): not stopped,
   * updated within the stale limit of its NAS (`stale`: limits, or one number of seconds for every NAS) of the
   * database clock, and on a NAS whose Accounting-On/Off did not come after the session started (its epoch is
   * the NAS's current one).
   */
  countedSessions(username: string, stale: StaleLimits | number): Promise<OpenSession[]>;
  /**
   * Every session countedSessions would count, of every username (the load at start and after a feed outage):
   * one query over the open sessions' partial index, whatever the length of the sessions' history.
   */
  allCountedSessions(stale: StaleLimits | number): Promise<OpenSession[]>;
  /**
   * Every session overlapping the filter's range, oldest start first (started_at, then id), in pages of at most
   * `pageSize` rows read by keyset (each page one indexed query), so a month of sessions never sits in memory.
   */
  exportRange(filter: SessionExportFilter, pageSize?: number): AsyncIterable<Session[]>;
  /**
   * Closes open sessions whose `updated_at` is more than their NAS's stale limit (`stale`: limits, or one number
   * of seconds for every NAS) before `now` (default: the database clock): stopped_at = updated_at,
   * terminate_cause 'Stale-Session'. Returns how many. Rows being written at the moment are skipped (they are
   * not stale).
   */
  closeStale(stale: StaleLimits | number, now?: Date): Promise<number>;
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

/** What the periodic housekeeping pass asks of the database beyond the other repositories. */
export interface HousekeepingRepository {
  /** True when some accounting-journal row has waited longer than `olderThanSeconds` to be rated. */
  ratingBehind(olderThanSeconds: number): Promise<boolean>;
}

export interface Store {
  readonly nas: NasRepository;
  readonly tariffs: TariffRepository;
  readonly accounts: AccountRepository;
  readonly subscribers: SubscriberRepository & SubscriberLookup;
  readonly tariffChanges: TariffChangeRepository;
  readonly authLog: AuthLogRepository;
  readonly ledger: LedgerRepository;
  readonly sessions: SessionRepository;
  readonly accountingHeld: AccountingHeldRepository;
  readonly statements: StatementRepository;
  readonly coa: CoaRepository;
  readonly operators: OperatorRepository;
  readonly operatorTokens: OperatorTokenRepository;
  readonly operatorSessions: OperatorSessionRepository;
  readonly audit: AuditRepository;
  /** The operator console's read side: search, statements by day, dashboard figures, NAS last seen (console.ts). */
  readonly console: ConsoleRepository;
  /**
   * Runs `fn` on a Store bound to one transaction: everything it writes through that Store commits together
   * when `fn` resolves, and none of it when `fn` throws (the error is rethrown). Inside `fn` use only the Store
   * it receives (on PGlite the outer one would wait for the transaction to end). A transaction inside it is a
   * savepoint.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  readonly accountingJournal: AccountingJournalStore;
  readonly accountingRating: AccountingRatingStore;
  readonly feeRuns: FeeRunStore;
  readonly housekeeping: HousekeepingRepository;
}

export interface OperatorCreate {
  readonly login: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordHash: string;
}

export interface OperatorPatch {
  readonly displayName?: string;
  readonly role?: Role;
  readonly disabled?: boolean;
}

/** Operators (docs/console.md). Logins are unique case-insensitively; an operator is disabled, never deleted. */
export interface OperatorRepository {
  list(): Promise<Operator[]>;
  get(id: number): Promise<Operator | undefined>;
  /** By login, case-insensitively. */
  byLogin(login: string): Promise<Operator | undefined>;
  /** With the password hash and TOTP state, by login (case-insensitively) or id. */
  credentials(by: { readonly login: string } | { readonly id: number }): Promise<OperatorCredentials | undefined>;
  /** STORE_CONFLICT on `login` when it is taken. */
  create(input: OperatorCreate): Promise<Operator>;
  update(id: number, patch: OperatorPatch): Promise<Operator | undefined>;
  setPassword(id: number, passwordHash: string): Promise<boolean>;
  /** Starts (a secret) or drops (null) an enrolment not yet confirmed. */
  setPendingTotp(id: number, secret: string | null): Promise<boolean>;
  /** The pending secret becomes the second factor, with `step` (the confirming code's) used. */
  confirmTotp(id: number, step: number): Promise<boolean>;
  /** Removes the second factor (and any pending one). */
  disableTotp(id: number): Promise<boolean>;
  /** Records `step` as used unless it (or a later one) already was: false for a code used twice, even concurrently. */
  useTotpStep(id: number, step: number): Promise<boolean>;
  recordLogin(id: number): Promise<void>;
  /**
   * The ids of the enabled admins, their rows locked until the transaction ends (so two demotions at once cannot
   * both leave the other as the last one). Call it inside Store.transaction.
   */
  lockEnabledAdmins(): Promise<number[]>;
}

export interface OperatorTokenCreate {
  readonly operatorId: number;
  readonly name: string;
  readonly role: Role;
  /** SHA-256 hex of the secret. */
  readonly secretHash: string;
  readonly expiresAt: string;
}

/** What authenticating a token needs: the token with its hash and its operator's state now. */
export interface OperatorTokenCheck extends OperatorToken {
  readonly secretHash: string;
  readonly operatorRole: Role;
  readonly operatorDisabled: boolean;
}

export interface OperatorTokenRepository {
  create(input: OperatorTokenCreate): Promise<OperatorToken>;
  /** Newest first; one operator's, or everyone's. */
  list(filter: { readonly operatorId?: number }): Promise<OperatorToken[]>;
  get(id: number): Promise<OperatorToken | undefined>;
  /** Sets revoked_at (once); the token as it is then, or undefined when there is none. */
  revoke(id: number): Promise<OperatorToken | undefined>;
  /** The token by id with its hash and its operator's role and state, whatever its expiry and revocation. */
  forCheck(id: number): Promise<OperatorTokenCheck | undefined>;
  /** Notes a use (at most once a minute per token, so a busy script does not write on every request). */
  touch(id: number): Promise<void>;
}

export interface OperatorSessionCreate {
  /** SHA-256 hex of the cookie value. */
  readonly idHash: string;
  readonly operatorId: number;
  /** SHA-256 hex of the CSRF token. */
  readonly csrfHash: string;
  readonly maxHours: number;
  readonly address: string;
  readonly userAgent: string | null;
}

/** A live browser session and its operator, as resuming it finds them. */
export interface OperatorSessionView {
  readonly operatorId: number;
  readonly login: string;
  readonly role: Role;
  readonly csrfHash: string;
  readonly expiresAt: string;
}

export interface OperatorSessionRepository {
  /** Also drops the operator's sessions that have ended (expired or idle beyond `idleMinutes`). */
  create(input: OperatorSessionCreate, idleMinutes: number): Promise<{ readonly expiresAt: string }>;
  /**
   * The session when it is live (not past its absolute expiry, seen within `idleMinutes`, its operator enabled),
   * marked seen now; else undefined.
   */
  resume(idHash: string, idleMinutes: number): Promise<OperatorSessionView | undefined>;
  end(idHash: string): Promise<boolean>;
  /** Ends every session of the operator but `exceptIdHash`; returns how many. */
  endAll(operatorId: number, exceptIdHash?: string): Promise<number>;
}

export interface AuditFilter {
  readonly operatorId?: number;
  readonly target?: string;
  readonly action?: string;
  /** ISO-8601, inclusive. */
  readonly from?: string;
  /** ISO-8601, exclusive. */
  readonly to?: string;
  /** An entry id: only entries older than it (the next page of a newest-first listing). */
  readonly before?: number;
  readonly limit: number;
}

/** The audit log: append-only. Append inside the change's transaction (Store.transaction) so both commit or neither. */
export interface AuditRepository {
  append(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first (by time, then id). */
  query(filter: AuditFilter): Promise<AuditEntry[]>;
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
  | { readonly kind: 'nas' }
  /** A rating pass committed: the open sessions it changed (one event per pass). */
  | ({ readonly kind: 'sessions' } & SessionChanges);

export interface ChangeFeed {
  /** Tells every instance (this one included) that something changed. Call after the write committed. */
  publish(event: ChangeEvent): Promise<void>;
}

/**
 * The receiving side of the change feed: every instance follows it to refresh what it caches (the subscriber
 * directory its snapshots, the blocking service the live sessions of an account whose state changed).
 */
export interface ChangeSource {
  /** Runs `handler` for every event published by any instance, this one's included, in publish order. */
  subscribe(handler: (event: ChangeEvent) => void): Promise<void>;
  /**
   * Runs `handler` when the feed is back after an outage: events published meanwhile never arrived, so whoever
   * caches what they announce must reload it.
   */
  onResync(handler: () => void): void;
}

/** Subscriber snapshots shared by every instance (the HotCache); the change feed drops those that change. */
export interface SharedSnapshots {
  get(username: string): Promise<SubscriberSnapshot | null>;
  put(snapshot: SubscriberSnapshot, ttlSeconds: number): Promise<void>;
}

/**
 * A RadSec connection a NAS keeps open to this process, on which dynamic authorization requests (RFC 5176) go to
 * the NAS (RFC 6614 §2.5): the transport owns the connection, the CoA client writes its requests on it and gets
 * the NAS's answers back. Only packets with an answering code (CoA-ACK/NAK, Disconnect-ACK/NAK) are handed over:
 * the NAS's own requests on the same connection go to the request path.
 */
export interface NasStreamLink {
  /** The shared secret over this connection: the client's RadSec secret, `radsec` by default (RFC 6614 §2.3). */
  readonly secret: Buffer;
  /** Writes one packet; false when the connection has closed (nothing was written). */
  write(packet: Buffer): boolean;
  /** The one receiver of the answering packets that arrive on this connection (a copy each; unverified). */
  onReply(receiver: (packet: Buffer) => void): void;
  /** Called once when the connection closes; at once when it has already. */
  onClose(listener: () => void): void;
}

/** The RadSec connections open to this process, by the NAS's address. */
export interface NasStreamLinks {
  /** The newest open connection from this address (canonical text, as the socket reports it), or undefined. */
  linkTo(address: string): NasStreamLink | undefined;
}

/** What carried a CoA or Disconnect request. */
export type CoaTransport = 'udp' | 'radsec';

/** One `coa_audit` row per CoA/Disconnect request after its final outcome (docs/schema.md). */
export interface CoaAuditRow {
  /** When the request was first sent (or, never sent, was to be). */
  readonly at: Date;
  readonly nas: string;
  readonly sessionId: number | null;
  readonly acctSessionId: string | null;
  readonly username: string | null;
  readonly request: 'coa' | 'disconnect';
  readonly action: string;
  /** Transmissions made; 0 only for a request aborted before its first. */
  readonly attempts: number;
  /** `aborted`: the client stopped before the outcome (the daemon shutting down). */
  readonly result: 'ack' | 'nak' | 'timeout' | 'aborted';
  readonly errorCause: number | null;
  readonly rttMs: number | null;
  /** What carried it (the UDP fallback, when a RadSec connection closed before the answer). */
  readonly transport: CoaTransport;
}

/** A live session claimed for a CoA action: `state` is what the NAS must now be told. */
export interface CoaClaim {
  /** `sessions.id`. */
  readonly sessionId: number;
  readonly username: string;
  readonly acctSessionId: string;
  readonly framedIp: string | null;
  readonly nasName: string;
  /** The state just claimed; the previous one is the other (there are two). */
  readonly state: 'normal' | 'restricted';
}

/**
 * What the NAS was last told about each live session (`sessions.coa_state`), and the CoA audit. A claim sets the
 * state a session's account calls for on the sessions that disagree, in one statement, so of several instances
 * each session is claimed by exactly one.
 */
export interface CoaRepository {
  /** Claims the mismatched open sessions of these accounts (of every account when null). */
  claim(accountIds: readonly number[] | null): Promise<CoaClaim[]>;
  /** Puts the state before the claim back (the NAS did not acknowledge) unless it changed since; whether it did. */
  release(claim: CoaClaim): Promise<boolean>;
  audit(row: CoaAuditRow): Promise<void>;
}

/** accounting_journal, the writer's side: one row per group commit (docs/accounting.md). */
export interface AccountingJournalStore {
  /** One INSERT of one row holding `records`, in autocommit: durable when it resolves. */
  append(records: readonly AccountingRecord[]): Promise<void>;
}

/** One rating pass: the oldest journal rows, within these bounds (the rater narrows them to bisect a failure). */
export interface RatingPassRequest {
  /** Most records in the pass (whole rows; a larger first row is taken alone). */
  readonly maxRecords: number;
  /** Most journal rows in the pass. */
  readonly maxRows: number;
  /**
   * When the pass takes one row of more records than this: rate only its first `recordLimit` records and keep the
   * rest in the row (its place in journal order). null: rate whole rows.
   */
  readonly recordLimit: number | null;
  readonly rules: RatingRules;
}

export type RatingPassResult =
  /** Another instance holds the cluster-wide rating lock. */
  | { readonly kind: 'busy' }
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'rated';
      /** The last journal row of the pass. */
      readonly lastRowId: number;
      readonly rows: number;
      readonly records: number;
      /** Only a prefix of the pass's one row was rated (recordLimit); the row holds the rest. */
      readonly partial: boolean;
      /** Account state transitions, and accounts with a new session whose service disagrees with their state. */
      readonly changes: AccountStateChange[];
      readonly stats: RatingStats;
      readonly held: Readonly<Record<HeldReason, number>>;
      /** Sessions the pass opened, refreshed or closed (Simultaneous-Use counts on every instance). */
      readonly sessions: SessionChanges;
    };

/** What a failed rating pass had taken: the error it throws carries it as `failedBatch` (when it got that far). */
export interface FailedRatingPass {
  readonly lastRowId: number;
  readonly rows: number;
  /** Records it was rating (0 when the rows did not decode). */
  readonly records: number;
}

/**
 * The rating side of accounting: rates journal rows into sessions, charges, usage and balances and removes them, in
 * one transaction per pass, under a cluster-wide lock (one pass at a time across instances, in journal order).
 */
export interface AccountingRatingStore {
  /** One pass (see RatingPassRequest). A failure rolls the whole pass back and throws, with `failedBatch` set. */
  ratePass(request: RatingPassRequest): Promise<RatingPassResult>;
  /**
   * Whether `err` is in the records rather than the database's condition (a row that does not decode, a value or
   * constraint the rating violates): such a pass is bisected, not retried as it is.
   */
  isDataError(err: unknown): boolean;
  /**
   * Moves the record of row `journalId` that cannot be rated to accounting_journal_rejected with `error`: the row
   * itself when it holds just that record (or does not decode), else its first record. Returns how many records
   * moved (0: the row is gone), or null when another instance holds the rating lock.
   */
  reject(journalId: number, error: string): Promise<number | null>;
  /** The newest journal row's id (decimal), null when the journal is empty. */
  newestRow(): Promise<string | null>;
  /** Journal rows with an id up to `id` (inclusive). */
  rowsUpTo(id: string): Promise<number>;
  /** Records waiting, the age of the oldest in seconds (0 when none) and the held records still pending. */
  backlog(): Promise<{ readonly records: number; readonly lagSeconds: number; readonly heldPending: number }>;
}

export interface FeeDayOptions {
  /** Subscriptions per transaction (default 20 000); the chunk ends at an account boundary. */
  readonly chunkSize?: number;
  /**
   * true (the scheduler): when another instance is charging (it holds the fee-run lock), stop and return
   * `busy: true` instead of trailing it chunk by chunk. Correctness never depends on it.
   */
  readonly yieldToOtherRun?: boolean;
}

export interface FeeDayCharges {
  /** Charges inserted. */
  readonly charged: number;
  /** Their sum, minor units. */
  readonly amount: number;
  /** Accounts whose state (active/blocked) changed. */
  readonly accountStateChanges: AccountStateChange[];
  /** Stopped early because another instance was charging (only with `yieldToOtherRun`). */
  readonly busy: boolean;
}

/** The daily fee run (fee_runs, charges of kind 'fee'): exactly-once per subscription and fee day. */
export interface FeeRunStore {
  /** The latest day recorded in fee_runs ('YYYY-MM-DD'), null before the first run. */
  lastRunDay(): Promise<string | null>;
  /** The earliest subscriptions.activated_on, null without subscriptions. */
  earliestActivation(): Promise<string | null>;
  /** Charges the fee of `day` to every subscription active on it; idempotent. */
  chargeDay(day: string, options?: FeeDayOptions): Promise<FeeDayCharges>;
  /** Adds a run's charges to the day's fee_runs row. */
  recordRun(day: string, charged: number, amount: number): Promise<void>;
  /** The ids of the pending scheduled tariff changes due on or before `day`, oldest first. */
  dueTariffChanges(day: string): Promise<number[]>;
  /**
   * Applies one scheduled change through the subscribers repository's update with `fromDay = day`, claiming the row
   * (applied_at) in the same transaction: null when another instance applied it first or it was cancelled.
   */
  applyTariffChange(id: number, day: string): Promise<AppliedTariffChange | null>;
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

/** What a row sets on an existing subscriber (an import with update): the fields it gives, nothing else. */
export function subscriberPatchOf(row: BulkSubscriberRow): SubscriberPatch {
  return {
    ...(row.password === undefined ? {} : { password: row.password }),
    ...(row.ntHash === undefined ? {} : { ntHash: row.ntHash }),
    ...(row.tariffId === undefined ? {} : { tariffId: row.tariffId }),
    ...(row.framedIp === undefined ? {} : { framedIp: row.framedIp }),
    ...(row.framedPool === undefined ? {} : { framedPool: row.framedPool }),
    ...(row.mac === undefined ? {} : { mac: row.mac }),
    ...(row.simultaneousUse === undefined ? {} : { simultaneousUse: row.simultaneousUse }),
    ...(row.status === undefined ? {} : { status: row.status }),
  };
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
