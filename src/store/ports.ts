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
} from '../domain/types.js';

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

/** Thrown by repositories for conflicts the API turns into 4xx (unique names, missing references). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: 'STORE_CONFLICT' | 'STORE_NOT_FOUND' | 'STORE_REFERENCE' | 'STORE_UNAVAILABLE',
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
}

export interface Store {
  readonly sql: Sql;
  readonly nas: NasRepository;
  readonly tariffs: TariffRepository;
  readonly accounts: AccountRepository;
  readonly subscribers: SubscriberRepository;
  readonly authLog: AuthLogRepository;
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
