/**
 * Every metric Tollgate exports, declared once. Other modules import the handles. Counters on the packet
 * path are Tallies: a plain number incremented per packet and added to the prom-client counter when it is
 * scraped, so a packet costs no label hashing (prom-client hashes the label set on every inc, even on a child).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();

const talliesByCounter = new Map<Counter, Map<string, Tally>>();

/** A counter cell with fixed label values, incremented as a plain number and flushed at scrape time. */
export class Tally {
  private value = 0;
  private flushed = 0;
  private constructor(private readonly target: { inc(n: number): void }) {
    target.inc(0); // the series exists, at 0, from the moment it can be counted
  }

  /** The tally for these label values of `counter` (the same object for the same values). */
  static of(counter: Counter, ...labels: string[]): Tally {
    let cells = talliesByCounter.get(counter);
    if (!cells) talliesByCounter.set(counter, (cells = new Map<string, Tally>()));
    const key = labels.join('\u0000');
    let t = cells.get(key);
    if (!t) cells.set(key, (t = new Tally(labels.length > 0 ? counter.labels(...labels) : counter)));
    return t;
  }

  inc(n = 1): void {
    this.value += n;
  }

  /** Everything counted in this process so far (flushed or not). */
  get count(): number {
    return this.value;
  }

  flush(): void {
    if (this.value > this.flushed) {
      this.target.inc(this.value - this.flushed);
      this.flushed = this.value;
    }
  }
}

/** Passed as `collect` to counters that have tallies. */
function flushTallies(this: Counter): void {
  const cells = talliesByCounter.get(this);
  if (cells) for (const t of cells.values()) t.flush();
}

export const radiusRequests = new Counter({
  name: 'tollgate_radius_requests_total',
  help: 'RADIUS requests received from known clients that passed authenticity checks, by packet code and NAS',
  labelNames: ['code', 'nas'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const radiusResponses = new Counter({
  name: 'tollgate_radius_responses_total',
  help: 'RADIUS replies sent, by packet code and NAS',
  labelNames: ['code', 'nas'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const radiusDropped = new Counter({
  name: 'tollgate_radius_dropped_total',
  help: 'RADIUS datagrams dropped without a reply, by reason',
  labelNames: ['reason'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const radiusEmptyAttributes = new Counter({
  name: 'tollgate_radius_empty_attributes_total',
  help: 'Zero-length attributes (RFC 2865 §5 forbids them) left out of requests that passed authenticity checks, by NAS',
  labelNames: ['nas'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const radiusMessageAuthenticator = new Counter({
  name: 'tollgate_radius_message_authenticator_total',
  help: 'Access-Requests from known clients by NAS, by where they carry Message-Authenticator (state: first attribute, present elsewhere, absent) and whether they carry Proxy-State (proxy_state: yes, no); one whose Message-Authenticator does not verify is counted in tollgate_radius_dropped_total only',
  labelNames: ['nas', 'state', 'proxy_state'] as const,
  registers: [registry],
  collect: flushTallies,
});

/** The `state` label values of tollgate_radius_message_authenticator_total, by the index the transport counts with. */
export const MESSAGE_AUTHENTICATOR_STATES = ['first', 'present', 'absent'] as const;

/**
 * The six tallies of one NAS (series at 0 from the moment it is in a client table), indexed
 * `state index × 2 + (Proxy-State ? 1 : 0)`: the hot path increments one by index.
 */
export function messageAuthenticatorTallies(nas: string): readonly Tally[] {
  return MESSAGE_AUTHENTICATOR_STATES.flatMap((state) => [Tally.of(radiusMessageAuthenticator, nas, state, 'no'), Tally.of(radiusMessageAuthenticator, nas, state, 'yes')]);
}

type PlacementCounts = Record<(typeof MESSAGE_AUTHENTICATOR_STATES)[number], number>;
export type MessageAuthenticatorCounts = PlacementCounts & { withProxyState: PlacementCounts };

/** The counts of one NAS in this process since it started, or null when no client table here has held it. */
export function messageAuthenticatorCounts(nas: string): MessageAuthenticatorCounts | null {
  if (!talliesByCounter.get(radiusMessageAuthenticator)?.has([nas, 'absent', 'no'].join('\u0000'))) return null;
  const t = messageAuthenticatorTallies(nas);
  const at = (i: number): number => t[i]?.count ?? 0;
  return {
    first: at(0) + at(1),
    present: at(2) + at(3),
    absent: at(4) + at(5),
    withProxyState: { first: at(1), present: at(3), absent: at(5) },
  };
}

/** The counts of every NAS some client table of this process has held (a cluster worker's answer to the primary). */
export function allMessageAuthenticatorCounts(): Record<string, MessageAuthenticatorCounts> {
  const names = new Set([...(talliesByCounter.get(radiusMessageAuthenticator)?.keys() ?? [])].map((key) => key.split('\u0000')[0] ?? ''));
  const out: Record<string, MessageAuthenticatorCounts> = {};
  for (const nas of names) {
    const counts = messageAuthenticatorCounts(nas);
    if (counts) out[nas] = counts;
  }
  return out;
}

/** Where the admin API reads the counts of NAS by name (null: no process counts that NAS). */
export type MessageAuthenticatorCountsSource = (names: readonly string[]) => Promise<ReadonlyMap<string, MessageAuthenticatorCounts | null>>;

let countsSource: MessageAuthenticatorCountsSource = (names) => Promise.resolve(new Map(names.map((n) => [n, messageAuthenticatorCounts(n)])));

/** The counts of these NAS: this process's, or with cluster workers theirs summed (cluster-metrics.ts). */
export function messageAuthenticatorCountsOf(names: readonly string[]): Promise<ReadonlyMap<string, MessageAuthenticatorCounts | null>> {
  return countsSource(names);
}

/** A cluster primary counts nothing itself: it reads its workers' counts instead. */
export function setMessageAuthenticatorCountsSource(source: MessageAuthenticatorCountsSource): void {
  countsSource = source;
}

export const radiusDuration = new Histogram({
  name: 'tollgate_radius_request_duration_seconds',
  help: 'Time from receiving a RADIUS request to sending its reply, by request code',
  labelNames: ['code'] as const,
  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const replyCacheHits = new Counter({
  name: 'tollgate_radius_reply_cache_hits_total',
  help: 'Retransmitted requests answered from the duplicate-detection reply cache (RFC 5080)',
  registers: [registry],
  collect: flushTallies,
});

export const duplicatesInProgress = new Counter({
  name: 'tollgate_radius_duplicates_in_progress_total',
  help: 'Retransmissions dropped because the original request was still being processed',
  registers: [registry],
  collect: flushTallies,
});

export const authResults = new Counter({
  name: 'tollgate_auth_results_total',
  help: 'Authentication outcomes, by method and result (accept, or the reject reason)',
  labelNames: ['method', 'result'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const inFlight = new Gauge({
  name: 'tollgate_radius_in_flight',
  help: 'RADIUS requests being processed',
  registers: [registry],
});

export const radiusUdpIo = new Gauge({
  name: 'tollgate_radius_udp_io_info',
  help: 'The UDP I/O path of the RADIUS listeners (radius.io): 1 for the one in use. batch: recvmmsg/sendmmsg (the native udp-batch addon); dgram: node:dgram',
  labelNames: ['io'] as const,
  // Every worker of a cluster uses the same path: the cluster reports it once, not once per worker.
  aggregator: 'max',
  registers: [registry],
});

export const configReloads = new Counter({
  name: 'tollgate_config_reloads_total',
  help: 'Client/user reloads on SIGHUP, by result',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const authLogWritten = new Counter({
  name: 'tollgate_auth_log_written_total',
  help: 'Auth log entries written to the database',
  registers: [registry],
});

export const authLogDropped = new Counter({
  name: 'tollgate_auth_log_dropped_total',
  help: 'Auth log entries dropped because the database was unavailable for longer than the queue holds',
  registers: [registry],
});

export const authLogFailures = new Counter({
  name: 'tollgate_auth_log_failures_total',
  help: 'Auth log batch writes that failed, by kind: transient (the database away; the batch is retried) or data (the batch is split and the entry that cannot be stored is dropped alone)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const authLogRejected = new Counter({
  name: 'tollgate_auth_log_rejected_total',
  help: 'Auth log entries the database refused on their own (a data error isolated from its batch); the rest of the batch is written',
  registers: [registry],
});

export const authLogBacklog = new Gauge({
  name: 'tollgate_auth_log_backlog',
  help: 'Auth log entries waiting to be written (a backlog that only grows means the writer is stalled)',
  registers: [registry],
});

/** The subscriber directory's counters, read at scrape time from the function the RADIUS role registers. */
export interface SubscriberCacheStats {
  readonly memoryHits: number;
  readonly sharedHits: number;
  readonly databaseLoads: number;
  readonly cached: number;
}
let subscriberCacheStats: (() => SubscriberCacheStats) | null = null;
/** Registers the source; the returned function unregisters it (if no other has replaced it since). */
export function setSubscriberCacheStats(fn: () => SubscriberCacheStats): () => void {
  subscriberCacheStats = fn;
  return () => {
    if (subscriberCacheStats === fn) subscriberCacheStats = null;
  };
}

export const subscriberLookups = new Gauge({
  name: 'tollgate_subscriber_lookups',
  help: 'Subscriber snapshot lookups since start, by tier that answered (memory, shared cache, database)',
  labelNames: ['tier'] as const,
  registers: [registry],
  collect() {
    const s = subscriberCacheStats?.();
    if (!s) return;
    this.labels('memory').set(s.memoryHits);
    this.labels('shared').set(s.sharedHits);
    this.labels('database').set(s.databaseLoads);
  },
});

export const subscribersCached = new Gauge({
  name: 'tollgate_subscribers_cached',
  help: 'Subscriber snapshots held in memory (per process; the cluster aggregate is the largest worker)',
  // Every worker holds the same snapshots: summing them would count each subscriber once per worker.
  aggregator: 'max',
  registers: [registry],
  collect() {
    const s = subscriberCacheStats?.();
    if (s) this.set(s.cached);
  },
});

export const simultaneousUseChecks = new Counter({
  name: 'tollgate_simultaneous_use_checks_total',
  help: 'Simultaneous-Use checks, by what answered: memory (below the limit, no SQL) or database (a reject confirmed by SQL, or memory not trusted after a change-feed outage)',
  labelNames: ['answered_by'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const simultaneousUseOverturned = new Counter({
  name: 'tollgate_simultaneous_use_overturned_total',
  help: 'Confirming queries that found fewer counted sessions than the limit where memory had reached it (a stale count corrected, the login accepted)',
  registers: [registry],
  collect: flushTallies,
});

let openSessionsTracked: (() => number) | null = null;
/** Registers the source of tollgate_open_sessions_tracked; the returned function unregisters it. */
export function setOpenSessionsTracked(fn: () => number): () => void {
  openSessionsTracked = fn;
  return () => {
    if (openSessionsTracked === fn) openSessionsTracked = null;
  };
}

export const openSessionsTrackedGauge = new Gauge({
  name: 'tollgate_open_sessions_tracked',
  help: 'Open sessions held in memory for Simultaneous-Use (per process; the cluster aggregate is the largest worker)',
  aggregator: 'max',
  registers: [registry],
  collect() {
    const n = openSessionsTracked?.();
    if (n !== undefined) this.set(n);
  },
});

let defaultsStarted = false;
/** Process metrics (CPU, RSS, event-loop lag) under the tollgate_ prefix. */
export function startDefaultMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ register: registry, prefix: 'tollgate_' });
}

/** Drop reasons, as label values of tollgate_radius_dropped_total. Pre-created so every series exists at 0. */
export const DropReason = {
  UnknownClient: 'unknown_client',
  Malformed: 'malformed',
  BadAuthenticator: 'bad_authenticator',
  BadMessageAuthenticator: 'bad_message_authenticator',
  MissingMessageAuthenticator: 'missing_message_authenticator',
  ProxyStateWithoutMA: 'proxy_state_without_message_authenticator',
  EapWithPassword: 'eap_with_password',
  UnexpectedCode: 'unexpected_code',
  DuplicateInProgress: 'duplicate_in_progress',
  HandlerError: 'handler_error',
  ShuttingDown: 'shutting_down',
} as const;
export type DropReasonValue = (typeof DropReason)[keyof typeof DropReason];

const dropTallies = new Map<string, Tally>(Object.values(DropReason).map((r) => [r, Tally.of(radiusDropped, r)]));
/** Counts a drop; every reason's series exists from start-up, at 0. */
export function countDrop(reason: DropReasonValue): void {
  (dropTallies.get(reason) as Tally).inc();
}

export const coaRequests = new Counter({
  name: 'tollgate_coa_requests_total',
  help: 'CoA and Disconnect requests sent to NAS (RFC 5176), by kind (coa, disconnect), final result (ack, nak, timeout; aborted: given up at stop) and transport (udp; radsec: on the NAS\'s open RadSec connection, RFC 6614 §2.5)',
  labelNames: ['kind', 'result', 'transport'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const coaRtt = new Histogram({
  name: 'tollgate_coa_rtt_seconds',
  help: 'Time from the first transmission of a CoA or Disconnect request to its verified ACK or NAK',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const coaRetransmissions = new Counter({
  name: 'tollgate_coa_retransmissions_total',
  help: 'CoA and Disconnect requests sent again because no reply came in time',
  registers: [registry],
  collect: flushTallies,
});

export const coaRepliesDropped = new Counter({
  name: 'tollgate_coa_replies_dropped_total',
  help: 'Replies to CoA and Disconnect requests dropped, by reason (malformed, unsolicited, unexpected_code, bad_authenticator, bad_message_authenticator) and transport (udp: on the CoA client socket; radsec: on a NAS\'s RadSec connection)',
  labelNames: ['reason', 'transport'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const coaRadsecFallbacks = new Counter({
  name: 'tollgate_coa_radsec_fallbacks_total',
  help: 'CoA and Disconnect requests whose RadSec connection closed before the NAS answered, sent again over UDP',
  registers: [registry],
});

export const accountingRecords = new Counter({
  name: 'tollgate_accounting_records_total',
  help: 'Accounting records by stage: journaled (durable, acknowledged), rated (applied to sessions and charges), rejected (moved to accounting_journal_rejected)',
  labelNames: ['stage'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const accountingFailures = new Counter({
  name: 'tollgate_accounting_failures_total',
  help: 'Failed accounting transactions by stage: journal (records not acknowledged; the NAS retransmits), rate (retried; the records stay journaled)',
  labelNames: ['stage'] as const,
  registers: [registry],
});

export const accountingJournalBacklog = new Gauge({
  name: 'tollgate_accounting_journal_backlog',
  help: 'Accounting records durably journaled (acknowledged) and not yet rated, across all instances',
  // Every worker reads the same shared journal: the cluster aggregate is the same value, not a sum.
  aggregator: 'max',
  registers: [registry],
});

export const accountingRatingLag = new Gauge({
  name: 'tollgate_accounting_rating_lag_seconds',
  help: 'Age of the oldest journaled accounting record not yet rated (0 when the journal is empty)',
  aggregator: 'max',
  registers: [registry],
});

export const accountingRatingDuration = new Histogram({
  name: 'tollgate_accounting_rating_duration_seconds',
  help: 'Duration of one rating transaction (journal rows → sessions, charges, balances)',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const accountingIgnored = new Counter({
  name: 'tollgate_accounting_ignored_total',
  help: 'Acknowledged accounting records rated as no-ops, by reason: after_stop (a record for a session already stopped: a stale copy), approved_missing (an approved held record whose session is gone)',
  labelNames: ['reason'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const accountingClockClamped = new Counter({
  name: 'tollgate_accounting_clock_clamped_total',
  help: 'Accounting records whose NAS event time lay outside the receive time ± accounting.maxClockSkewSeconds and was clamped to it for scheduling (session times, stale sweep, usage month)',
  registers: [registry],
  collect: flushTallies,
});

export const accountingHeld = new Counter({
  name: 'tollgate_accounting_held_total',
  help: 'Accounting increments held for review instead of being charged, by reason: octet_rate (more than accounting.maxRateBitsPerSecond since the previous record), session_time (longer than the wall-clock time since the first record plus the skew)',
  labelNames: ['reason'] as const,
  registers: [registry],
  collect: flushTallies,
});

export const accountingHeldPending = new Gauge({
  name: 'tollgate_accounting_held_pending',
  help: 'Held accounting records waiting for an operator to approve or discard them (GET /api/v1/accounting/held)',
  aggregator: 'max',
  registers: [registry],
});

export const portalRequests = new Counter({
  name: 'tollgate_portal_requests_total',
  help: 'Captive portal and billing widget HTTP requests, by route (page, promised_payment, widget_summary, widget_fragment, other) and status code',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
});

export const portalPromisedPayments = new Counter({
  name: 'tollgate_portal_promised_payments_total',
  help: 'Promised payments asked for on the captive portal, by result (granted, too_soon, not_needed, not_enough, subscriber_inactive, disabled, failed, forbidden: no valid CSRF token)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const portalConnectionsRefused = new Counter({
  name: 'tollgate_portal_connections_refused_total',
  help: 'Portal connections closed on arrival because their peer address already had portal.maxConnectionsPerAddress open',
  registers: [registry],
});

/** What /readyz answers (1 ready, 0 not), read at scrape time from the function the app registers. */
let readiness: () => boolean = () => true;
export function setReadiness(fn: () => boolean): void {
  readiness = fn;
}

export const ready = new Gauge({
  name: 'tollgate_ready',
  help: 'Whether this instance is ready to serve (what /readyz answers: 1 ready, 0 starting or draining)',
  // A cluster is ready only when every process is.
  aggregator: 'min',
  registers: [registry],
  collect() {
    this.set(readiness() ? 1 : 0);
  },
});

export const streamConnections = new Counter({
  name: 'tollgate_radius_stream_connections_total',
  help: 'RADIUS stream connections (transport: radsec, tcp) by result: accepted, or why refused on arrival (unknown_client, too_many_connections, tls_handshake: no certificate chaining to radius.radsec.caFile, expired, or no TLS; certificate_name: the certificate does not carry the client entry\'s tlsName; shutting_down)',
  labelNames: ['transport', 'result'] as const,
  registers: [registry],
});

export const streamClosed = new Counter({
  name: 'tollgate_radius_stream_closed_total',
  help: 'Admitted RADIUS stream connections closed, by transport and reason: peer (the NAS closed it), idle (radius.*.idleTimeoutSeconds), bad_length (a Length field below 20 or above 4096: the framing is lost), error (a socket error), shutdown',
  labelNames: ['transport', 'reason'] as const,
  registers: [registry],
});

export const streamOpen = new Gauge({
  name: 'tollgate_radius_stream_connections',
  help: 'RADIUS stream connections open and admitted, by transport',
  labelNames: ['transport'] as const,
  registers: [registry],
});

export const radiusShed = new Counter({
  name: 'tollgate_radius_shed_total',
  help: 'RADIUS requests dropped unanswered to shed load (radius.overload), by request code: only new Access-Requests are shed, never Accounting-Requests; the NAS retransmits them',
  labelNames: ['code'] as const,
  registers: [registry],
  collect: flushTallies,
});

/** The tally of shed Access-Requests (the only code ever shed); its series exists at 0 from start-up. */
export function shedAccessRequests(): Tally {
  return Tally.of(radiusShed, 'Access-Request');
}

export const radiusShedFraction = new Gauge({
  name: 'tollgate_radius_shed_fraction',
  help: 'Share of new Access-Requests being shed now (0 = none; at most radius.overload.maxShedFraction); the cluster aggregate is the largest worker',
  aggregator: 'max',
  registers: [registry],
});

export function setShedFraction(fraction: number): void {
  radiusShedFraction.set(fraction);
}

// Live traces (transport/trace-hub.ts, transport/trace-tap.ts; docs/console.md "Live trace").

export const tracesActive = new Gauge({
  name: 'tollgate_traces_active',
  help: 'Live packet traces started on this instance and still running',
  registers: [registry],
});

export const traceEventsProduced = new Counter({
  name: 'tollgate_trace_events_total',
  help: 'Packet events live traces matched in this process (requests, replies and dropped packets of a traced user or NAS)',
  registers: [registry],
});

export const traceEventsDropped = new Counter({
  name: 'tollgate_trace_events_dropped_total',
  help: 'Trace events left out, by reason: rate (beyond the events per second of a trace), slow_consumer (an event stream that did not read)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export type TraceDropReason = 'rate' | 'slow_consumer';

export function countTraceDropped(reason: TraceDropReason, n = 1): void {
  traceEventsDropped.labels(reason).inc(n);
}
