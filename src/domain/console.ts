/**
 * The read side the operator console needs beyond the resource lists (docs/console.md, "Read endpoints for the
 * console"): the one-box search, the support page's extras, the dashboard figures and the NAS last-seen times,
 * and the types of the day-by-day statement (StatementRepository.daily, next to the portal's statement). One port, `ConsoleRepository`, so the SQL behind each figure
 * sits in one file of the store (src/store/repositories/console.ts) and each query is one indexed statement.
 * Money is integer minor units; times are ISO-8601 UTC strings.
 */
import type { AccountState } from './types.js';

/** What a search box text was read as: each key is looked up with its own index. */
export interface SearchQuery {
  /** Case-insensitive login prefix (always tried). */
  readonly loginPrefix: string;
  /** An IPv4 or IPv6 host address: subscribers.framed_ip, and open sessions' framed_ip. */
  readonly ip?: string;
  /** A MAC as 12 lower-case hex digits: the subscriber's binding, and open sessions' Calling-Station-Id. */
  readonly macHex?: string;
  /** A positive integer: a subscriber id, or an account id (account number). */
  readonly id?: number;
}

export type SearchMatch = 'framedIp' | 'sessionIp' | 'mac' | 'sessionMac' | 'subscriberId' | 'accountId' | 'login';

export interface SearchHit {
  readonly subscriberId: number;
  readonly username: string;
  readonly accountId: number;
  readonly accountState: AccountState;
  /** The first key that found the subscriber, in the order of SearchMatch. */
  readonly matchedBy: SearchMatch;
}

/** The newest CoA or Disconnect request about a subscriber, and what the NAS answered (coa_audit). */
export interface CoaAuditEntry {
  readonly at: string;
  readonly nas: string;
  readonly sessionId: number | null;
  readonly request: 'coa' | 'disconnect';
  readonly action: string;
  readonly result: 'ack' | 'nak' | 'timeout' | 'aborted';
  readonly errorCause: number | null;
  readonly attempts: number;
  readonly rttMs: number | null;
  readonly transport: 'udp' | 'radsec';
}

/** The account's current state period (account_states): since when, and what moved it there. */
export interface AccountStatePeriod {
  readonly state: AccountState;
  readonly since: string;
  /** 'created', 'payment', 'charge', 'credit_limit', 'credit_expired', … */
  readonly reason: string;
}

/** One day of a statement (a calendar day of the fee time zone). Charges and fees are money taken (≥ 0). */
export interface StatementDay {
  /** YYYY-MM-DD. */
  readonly day: string;
  readonly openingBalance: number;
  /** Traffic, time and one-off charges. */
  readonly charges: number;
  /** Daily fees (charges of kind fee). */
  readonly fees: number;
  readonly payments: number;
  /** Signed. */
  readonly adjustments: number;
  /** Temporary credit granted that day: not money, so it does not move the balance. */
  readonly credits: number;
  /** openingBalance − charges − fees + payments + adjustments. */
  readonly closingBalance: number;
}

export interface StatementRange {
  /** First day, YYYY-MM-DD (inclusive). */
  readonly from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  readonly to: string;
  /** The IANA time zone whose calendar days these are. */
  readonly timeZone: string;
}

export interface DailyStatement {
  readonly accountId: number;
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  /** The balance at the start of `from`. */
  readonly openingBalance: number;
  /** The balance at the end of `to`. */
  readonly closingBalance: number;
  readonly totals: Omit<StatementDay, 'day' | 'openingBalance' | 'closingBalance'>;
  /** Only the days with a movement or a credit, oldest first. */
  readonly days: readonly StatementDay[];
}

/** Access decisions of one minute. */
export interface DecisionBucket {
  /** The minute's start. */
  readonly at: string;
  readonly accept: number;
  readonly redirect: number;
  readonly reject: number;
}

export interface CoaSummary {
  readonly total: number;
  readonly ack: number;
  readonly nak: number;
  readonly timeout: number;
  readonly aborted: number;
}

export interface MoneySums {
  readonly payments: number;
  readonly charges: number;
}

export interface DashboardFigures {
  /** Sessions not stopped now. */
  readonly onlineSessions: number;
  /** Accounts blocked now. */
  readonly blockedAccounts: number;
  readonly decisions: readonly DecisionBucket[];
  /** Sessions started in the range (the accounting rate: per range, divide by its minutes). */
  readonly sessionsStarted: number;
  readonly coa: CoaSummary;
  readonly today: MoneySums;
  readonly month: MoneySums;
}

export interface RatingLag {
  /** Accounting records journaled and not yet rated. */
  readonly unratedRecords: number;
  /** Journal rows waiting. */
  readonly unratedRows: number;
  /** Age of the oldest waiting row in seconds; 0 when none. */
  readonly oldestSeconds: number;
}

/** A NAS client seen by a RADIUS process: a row (`id`) or a config-file client (by `address`). */
export interface NasSighting {
  readonly id?: number;
  readonly address: string;
  readonly name: string;
  readonly at: Date;
}

export interface ConsoleRepository {
  /** At most `limit` subscribers, one per subscriber, in the order of the keys that found them. */
  search(query: SearchQuery, limit: number): Promise<SearchHit[]>;
  /** The newest coa_audit row about `username`. */
  lastCoa(username: string): Promise<CoaAuditEntry | undefined>;
  /** The open account_states period of the account. */
  statePeriod(accountId: number): Promise<AccountStatePeriod | undefined>;
  /** The dashboard over [from, to); `timeZone` says what "today" and "this month" are. */
  dashboard(from: Date, to: Date, timeZone: string): Promise<DashboardFigures>;
  /** Sessions not stopped now (the partial index of open sessions). */
  onlineSessions(): Promise<number>;
  /** Access decisions in [from, to) (auth_log by its time index). */
  decisionsSince(from: Date, to: Date): Promise<number>;
  ratingLag(): Promise<RatingLag>;
  /** Stores the newest sightings (kept when a later one is already stored). */
  recordNasSightings(sightings: readonly NasSighting[]): Promise<void>;
  /** When each NAS was last seen: database rows by id, config-file clients by address. */
  nasLastSeen(): Promise<{ readonly byId: ReadonlyMap<number, string>; readonly byAddress: ReadonlyMap<string, string> }>;
}

/** Decision buckets of one range at most: a minute each for up to a day, wider beyond. */
export const MAX_BUCKETS = 1440;

/** The bucket width of a range in seconds: 60, or a wider whole minute so the range has at most MAX_BUCKETS. */
export function bucketSeconds(from: Date, to: Date): number {
  const seconds = Math.max(1, (to.getTime() - from.getTime()) / 1000);
  return Math.max(60, Math.ceil(seconds / MAX_BUCKETS / 60) * 60);
}
