/**
 * The configuration schema: one place for every key, its type and its default. `Config` is derived from it.
 * config/tollgate.example.yaml documents the same keys for operators; test/unit/config keeps the two in step.
 */
import { profilesSchema } from '../aaa/vendor-profiles.js';
import { portalSchema } from '../portal/config-schema.js';
import { VENDORS } from '../domain/types.js';
import { bool, int, list, obj, optional, record, scalar, str, type Infer, type Node } from './schema-dsl.js';

/** Vendor profiles a NAS can name (see src/aaa/vendor-profiles.ts). */
export const VENDOR_PROFILES = VENDORS;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** An IPv4/IPv6 address, optionally with a /prefix; checked properly by the NAS table at load. */
const addressOrCidr = str({ pattern: /^[0-9a-fA-F:.]+(\/\d{1,3})?$/, hint: 'an IPv4/IPv6 address or CIDR such as 10.0.0.0/8' });

function scalarOrList(): Node<string | number | boolean | (string | number | boolean)[]> {
  const one = scalar();
  const many = list(scalar());
  return {
    kind: 'scalar-or-list',
    describe: 'a value or a list of values',
    parse(value, key, issues) {
      return Array.isArray(value) ? many.parse(value, key, issues) : one.parse(value, key, issues);
    },
  };
}

export const clientSchema = obj({
  name: str(),
  address: addressOrCidr,
  secret: str({ minLength: 6, hint: 'use at least 16 random characters in production' }),
  vendor: str({ enum: VENDOR_PROFILES, default: 'generic' }),
  requireMessageAuthenticator: optional(bool()),
  limitProxyState: optional(bool()),
  coaPort: int({ default: 3799, min: 1, max: 65535 }),
});

export const userSchema = obj({
  username: str({ minLength: 1 }),
  /** Cleartext password: needed for CHAP; PAP and MS-CHAPv2 also work from it. */
  password: optional(str()),
  /** NT hash (32 hex digits) instead of a password: PAP and MS-CHAPv2 work, CHAP cannot. */
  ntHash: optional(str({ pattern: /^[0-9a-fA-F]{32}$/, hint: '32 hexadecimal digits (MD4 of the UTF-16LE password)' })),
  /** Reply attributes by dictionary name, e.g. `Mikrotik-Rate-Limit: 10M/50M`. */
  reply: record(scalarOrList(), { default: {} }),
});

export const configSchema = obj({
  dataDir: str({ default: './data' }),
  log: obj({
    level: str({ enum: LOG_LEVELS, default: 'info' }),
  }),
  radius: obj({
    listen: list(str({ pattern: /^[0-9a-fA-F:.]+$/, hint: 'an IPv4 or IPv6 address' }), { default: ['0.0.0.0', '::'] }),
    authPort: int({ default: 1812, min: 0, max: 65535 }),
    acctPort: int({ default: 1813, min: 0, max: 65535 }),
    receiveBufferBytes: int({ default: 4 * 1024 * 1024, min: 65536 }),
    sendBufferBytes: int({ default: 1024 * 1024, min: 65536 }),
    /** Processes sharing the RADIUS sockets (node:cluster). 0 = one per CPU core. */
    workers: int({ default: 1, min: 0, max: 64 }),
    /** RFC 5080 duplicate detection: how long a reply is kept to answer a retransmission. */
    replyCacheSeconds: int({ default: 5, min: 0, max: 120 }),
    /** Defaults for clients that do not set their own. */
    requireMessageAuthenticator: bool({ default: true }),
    limitProxyState: bool({ default: true }),
    /** Extra FreeRADIUS-format dictionary files loaded after the shipped ones. */
    dictionaries: list(str(), { default: [] }),
    /** Seconds between "unknown client" log lines per source address. */
    unknownClientLogIntervalSeconds: int({ default: 60, min: 1 }),
  }),
  clients: list(clientSchema, { default: [] }),
  users: list(userSchema, { default: [] }),
  admin: obj({
    listen: str({ default: '127.0.0.1' }),
    port: int({ default: 9812, min: 0, max: 65535 }),
    token: optional(str({ minLength: 16, hint: 'a bearer token of at least 16 characters' })),
  }),
  /** The captive portal and billing widget (src/portal/config-schema.ts). */
  portal: portalSchema,
  database: obj({
    /** PostgreSQL; unset = the embedded database (PGlite) under dataDir. */
    url: optional(str({ pattern: /^postgres(ql)?:\/\//, hint: 'a postgres:// URL' })),
    /** Connections per process. 8 suited FreeRADIUS best on 2 cores (docs/benchmarks.md). */
    poolSize: int({ default: 8, min: 1, max: 200 }),
    /** Apply pending migrations at start-up (`tollgate migrate` does it by hand). */
    migrate: bool({ default: true }),
  }),
  redis: obj({
    /** Shared hot state and change notifications across instances; unset = in-process. */
    url: optional(str({ pattern: /^rediss?:\/\//, hint: 'a redis:// URL' })),
  }),
  subscribers: obj({
    /** Snapshots kept in each process's memory (all of them are loaded at start-up, up to this many). */
    maxCached: int({ default: 2_000_000, min: 1000 }),
    /** Seconds an unknown username is remembered, so repeated bad logins do not each cost a query. */
    negativeTtlSeconds: int({ default: 30, min: 0 }),
    /** Seconds a snapshot lives in the shared cache (Redis). */
    sharedTtlSeconds: int({ default: 300, min: 1 }),
  }),
  authLog: obj({
    enabled: bool({ default: true }),
    flushIntervalMs: int({ default: 200, min: 10 }),
    batchSize: int({ default: 2000, min: 1, max: 50000 }),
    /** Entries held while the database is unavailable; beyond this the oldest are dropped and counted. */
    maxQueued: int({ default: 100_000, min: 1000 }),
    /** Days an entry is kept; older ones are deleted by the housekeeping pass (0 = keep for ever). */
    retentionDays: int({ default: 90, min: 0, max: 36_500 }),
  }),
  sessions: obj({
    /**
     * A session with no accounting for this long is closed as Stale-Session (its Stop was lost). Default: four
     * missed interims at the profiles' Acct-Interim-Interval of 300 s.
     */
    staleAfterSeconds: int({ default: 1200, min: 60 }),
  }),
  fees: obj({
    /** Charge monthly fees daily (floor(fee·d/D) − floor(fee·(d−1)/D) on day d of a D-day month). */
    enabled: bool({ default: true }),
    /** IANA time zone whose calendar days are fee days, e.g. Europe/Moscow. */
    timeZone: str({ default: 'UTC' }),
    /** How often the scheduler looks for days to charge (it catches up on missed days). */
    intervalMinutes: int({ default: 15, min: 1, max: 1440 }),
  }),
  accounting: obj({
    /** Most Accounting-Requests in one journal row: one INSERT, one durable commit, then they are acknowledged. */
    maxBatch: int({ default: 1000, min: 1, max: 10000 }),
    /**
     * Journal INSERTs committing at once per process. 1 (plain group commit) is enough on 2 cores; more can
     * help when the WAL flush is slow. Keep 1 on the embedded database (one connection).
     */
    maxInFlight: int({ default: 1, min: 1, max: 16 }),
    /**
     * Most records rated in one transaction (journal rows → sessions, charges, balances). Larger batches cost
     * PostgreSQL less per record; the embedded database uses at most 1000, since its one connection also
     * carries the acknowledgements.
     */
    rateBatch: int({ default: 5000, min: 1, max: 100_000 }),
    /**
     * Least milliseconds between rating passes while rating keeps up: records accumulate meanwhile, and fewer,
     * larger rating transactions cost PostgreSQL less (acknowledgements do not wait for rating).
     */
    rateIntervalMs: int({ default: 50, min: 0, max: 10_000 }),
    /** How often an idle rater looks for journal rows it was not woken for (other instances', retries). */
    ratePollMs: int({ default: 1000, min: 10, max: 60_000 }),
    /**
     * Seconds a NAS event time may lie from the receive time (− Acct-Delay-Time) before it is clamped for
     * everything that schedules: session start/stop times, the stale sweep, the usage month. Counted.
     */
    maxClockSkewSeconds: int({ default: 300, min: 0, max: 86_400 }),
    /**
     * The highest traffic rate a session can really have. An increment implying more than this over the
     * wall-clock time since the session's previous record is held for review, not charged (default 100 Gbit/s).
     */
    maxRateBitsPerSecond: int({ default: 100_000_000_000, min: 1_000_000 }),
    /**
     * The longest Acct-Session-Time a session's first record may claim (a lost Start); later records may add no
     * more than the wall-clock time since that record plus the skew. Beyond that the record is held for review.
     */
    maxSessionSeconds: int({ default: 7_776_000, min: 3600 }),
  }),
  /** Overrides of the built-in vendor profiles (reply attributes per BRAS type), key by key. */
  vendors: profilesSchema,
  demo: obj({
    /**
     * Seed a demo tariff, a funded and an indebted subscriber into an empty embedded database. Off unless asked
     * for: the built-in development defaults (no configuration file at all) turn it on.
     */
    seed: bool({ default: false }),
  }),
  shutdown: obj({
    /** How long SIGTERM waits for in-flight requests before closing anyway. */
    drainTimeoutMs: int({ default: 5000, min: 0 }),
  }),
});

export type Config = Infer<typeof configSchema>;
export type ClientConfig = Infer<typeof clientSchema>;
export type UserConfig = Infer<typeof userSchema>;
