/**
 * The configuration schema: one place for every key, its type and its default, on zod; `Config` is derived from it.
 * The NAS clients and users take their fields from the shared schema (src/schema), so the config file accepts the
 * same addresses, secrets and usernames as the admin API and the CLI.
 * config/tollgate.example.yaml documents the same keys for operators; test/unit/config keeps the two in step.
 */
import { z } from 'zod';
import { VENDORS } from '../domain/types.js';
import { addressOrCidr, hex32, ipAddress, nasAddress, nasName, nasSecret, username as usernameField } from '../schema/index.js';
import { bool, boolOrAuto, int, list, obj, oneOf, optional, record, scalar, secret, shared, sharedSecret, str } from './fields.js';
import { portalSchema } from './portal.js';
import { profilesSchema } from './vendors.js';

/** Vendor profiles a NAS can name (see src/aaa/vendor-profiles.ts). */
export const VENDOR_PROFILES = VENDORS;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const scalarOrList = () => z.union([scalar(), z.array(scalar())], { error: (iss) => (iss.input === undefined ? 'is required' : 'must be a value or a list of values') });

/** An IANA time zone Intl knows. */
const timeZone = () =>
  str({ default: 'UTC' }).refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { error: (iss) => `${JSON.stringify(iss.input)} is not an IANA time zone (e.g. UTC, Europe/Moscow)` },
  );

export const clientSchema = obj(
  {
    /** A label in logs and metrics: at most 64 characters, as the admin API takes it. */
    name: shared(nasName()),
    /** An address or a network without host bits (10.0.0.0/8), as the admin API takes it. */
    address: shared(nasAddress()),
    /** At least 8 characters, as the admin API takes it; start-up warns below 12. */
    secret: sharedSecret(nasSecret()),
    vendor: oneOf(VENDOR_PROFILES, { default: 'generic' }),
    /** auto: not required until the client has sent a valid one, then for good (kept in the database by address). */
    requireMessageAuthenticator: optional(boolOrAuto()),
    limitProxyState: optional(bool()),
    coaPort: int({ default: 3799, min: 1, max: 65535 }),
    /** RadSec: the certificate subject CN or a subjectAltName (DNS or IP) the NAS must present, besides its address. */
    tlsName: optional(str({ minLength: 1 })),
    /** RadSec: the shared secret over TLS; unset = `radsec` (RFC 6614 §2.3). */
    radsecSecret: optional(secret({ minLength: 1 })),
  },
  { required: true },
);

/** What a stream listener (RadSec, RADIUS/TCP) bounds per connection and per client address. */
const streamLimits = () => ({
  /** Seconds a connection may stay without a request before it is closed. */
  idleTimeoutSeconds: int({ default: 120, min: 1, max: 86_400 }),
  /** Requests of one connection being processed at once; beyond it the connection is not read until one finishes. */
  maxInFlightPerConnection: int({ default: 256, min: 1, max: 65_536 }),
  /** Connections open at once from one client address; more are closed on arrival. */
  maxConnectionsPerClient: int({ default: 8, min: 1, max: 10_000 }),
});

export const userSchema = obj(
  {
    username: shared(usernameField()),
    /** Cleartext password: needed for CHAP; PAP and MS-CHAPv2 also work from it. */
    password: optional(secret()),
    /** NT hash (32 hex digits, MD4 of the UTF-16LE password) instead of a password: PAP and MS-CHAPv2 work, CHAP cannot. */
    ntHash: optional(sharedSecret(hex32('NT hash'))),
    /** Reply attributes by dictionary name, e.g. `Mikrotik-Rate-Limit: 10M/50M`. */
    reply: record(scalarOrList(), { default: {} }),
  },
  { required: true },
);

export const configSchema = obj({
  dataDir: str({ default: './data' }),
  log: obj({
    level: oneOf(LOG_LEVELS, { default: 'info' }),
  }),
  radius: obj({
    listen: list(shared(ipAddress('')), { default: ['0.0.0.0', '::'] }),
    authPort: int({ default: 1812, min: 0, max: 65535 }),
    acctPort: int({ default: 1813, min: 0, max: 65535 }),
    receiveBufferBytes: int({ default: 4 * 1024 * 1024, min: 65536 }),
    sendBufferBytes: int({ default: 1024 * 1024, min: 65536 }),
    /**
     * UDP I/O: dgram = node:dgram; batch = recvmmsg/sendmmsg through the native addon built at install
     * (native/udp-batch), start fails without it; auto = batch when the addon loads, else dgram (logged, and
     * tollgate_radius_udp_io_info says which). auto by default: batch takes about a third less CPU per request
     * in the daemon (docs/performance.md).
     */
    io: oneOf(['auto', 'batch', 'dgram'], { default: 'auto' }),
    /**
     * Processes sharing the RADIUS sockets (node:cluster). 0 = one per CPU core. Unset: one per core with
     * database.url (PostgreSQL), 1 on the embedded database (it lives in one process); see config/workers.ts.
     */
    workers: optional(int({ min: 0, max: 64 })),
    /** RFC 5080 duplicate detection: how long a reply is kept to answer a retransmission. */
    replyCacheSeconds: int({ default: 5, min: 0, max: 120 }),
    /** Defaults for clients that do not set their own. */
    requireMessageAuthenticator: boolOrAuto({ default: true }),
    limitProxyState: bool({ default: true }),
    /** Extra FreeRADIUS-format dictionary files loaded after the shipped ones. */
    dictionaries: list(str(), { default: [] }),
    /** Seconds between "unknown client" log lines per source address. */
    unknownClientLogIntervalSeconds: int({ default: 60, min: 1 }),
    /**
     * RADIUS over TLS (RFC 6614), on the radius.listen addresses: off until certFile, keyFile and caFile are set.
     * Mutual TLS: a NAS needs a certificate chaining to caFile and a clients entry for its address (and tlsName).
     */
    radsec: obj({
      port: int({ default: 2083, min: 0, max: 65535 }),
      /** The server's certificate (PEM, with its intermediates) and key; re-read on SIGHUP. */
      certFile: optional(str({ minLength: 1 })),
      keyFile: optional(str({ minLength: 1 })),
      /** The CA(s) NAS certificates must chain to (PEM). */
      caFile: optional(str({ minLength: 1 })),
      ...streamLimits(),
    }),
    /**
     * Overload protection of the UDP listeners (src/transport/admission.ts): when this process falls behind, new
     * Access-Requests are shed (dropped unanswered, counted in tollgate_radius_shed_total; the NAS retransmits),
     * never Accounting-Requests. docs/performance.md, "Overload and shedding".
     */
    overload: obj({
      enabled: bool({ default: true }),
      /**
       * Smoothed event-loop utilisation (percent of the time busy) above which Access-Requests are shed: the
       * process has no headroom left, and auth would take accounting's share of it. 100 = shed on lag only.
       */
      maxEventLoopUtilizationPercent: int({ default: 95, min: 1, max: 100 }),
      /** Smoothed event-loop lag (ms) above which Access-Requests are shed (long turns, a process starved of CPU). */
      maxEventLoopLagMs: int({ default: 250, min: 1, max: 10_000 }),
      /**
       * Smoothed mean time (ms) from an Accounting-Request to its Accounting-Response (the journal commit) above
       * which Access-Requests are shed, so auth cannot take accounting's share of the machine. 0 = not a signal
       * (the default: a database slow for its own reasons is not made faster by refusing logins).
       */
      maxAccountingLatencyMs: int({ default: 0, min: 0, max: 60_000 }),
      /** The largest share of Access-Requests ever shed, in percent: logins keep the rest. */
      maxShedPercent: int({ default: 50, min: 0, max: 100 }),
      /** How often the two signals are sampled. */
      sampleIntervalMs: int({ default: 100, min: 10, max: 10_000 }),
    }),
    /** RADIUS over TCP (RFC 6613), no TLS: off unless port is set. The secret is the client entry's, as UDP. */
    tcp: obj({
      port: optional(int({ min: 0, max: 65535 })),
      ...streamLimits(),
    }),
  }),
  clients: list(clientSchema, { default: [] }),
  users: list(userSchema, { default: [] }),
  admin: obj({
    listen: str({ default: '127.0.0.1' }),
    port: int({ default: 9812, min: 0, max: 65535 }),
    token: optional(secret({ minLength: 16, hint: 'a bearer token of at least 16 characters' })),
    /** Proxies in front of the admin listener whose X-Forwarded-For and X-Forwarded-Proto are believed. */
    trustedProxies: list(shared(addressOrCidr('A proxy address or network.')), { default: [] }),
    /** A console session ends after this many minutes without a request. */
    sessionIdleMinutes: int({ default: 30, min: 1, max: 1440 }),
    /** A console session ends this many hours after sign-in, however busy. */
    sessionMaxHours: int({ default: 12, min: 1, max: 168 }),
  }),
  /** The captive portal and billing widget (src/config/portal.ts). */
  portal: portalSchema,
  database: obj({
    /** PostgreSQL; unset = the embedded database (PGlite) under dataDir. */
    url: optional(str({ pattern: /^postgres(ql)?:\/\//, hint: 'a postgres:// URL' })),
    /** Connections per process. 8 suited FreeRADIUS best on 2 cores (docs/benchmarks.md). */
    poolSize: int({ default: 8, min: 1, max: 200 }),
    /** Apply pending migrations at start-up (`tollgate migrate` does it by hand). */
    migrate: bool({ default: true }),
    /**
     * The embedded database's shared_buffers in MB (PostgreSQL's 128 MB default is most of PGlite's memory;
     * its files stay in the OS page cache). Raise it for a large embedded database. Ignored with database.url.
     */
    pgliteSharedBuffersMb: int({ default: 16, min: 1, max: 1024 }),
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
     * A session that missed this many Interim-Updates at its NAS's interval (the Acct-Interim-Interval of the
     * NAS's vendor profile: 300 s in every built-in one) no longer counts against Simultaneous-Use and is
     * closed as Stale-Session (its Stop was lost). Never less than 60 s (aaa/stale-limits.ts).
     */
    staleAfterMissedInterims: int({ default: 4, min: 2, max: 100 }),
    /** One limit in seconds for every NAS instead (unset: from each NAS's interval, as above). */
    staleAfterSeconds: optional(int({ min: 60 })),
  }),
  fees: obj({
    /** Charge monthly fees daily (floor(fee·d/D) − floor(fee·(d−1)/D) on day d of a D-day month). */
    enabled: bool({ default: true }),
    /** IANA time zone whose calendar days are fee days, e.g. Europe/Moscow. */
    timeZone: timeZone(),
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

export type Config = z.output<typeof configSchema>;
export type ClientConfig = z.output<typeof clientSchema>;
export type UserConfig = z.output<typeof userSchema>;
