/**
 * Live packet traces (what `radiusd -X` shows a FreeRADIUS admin, for one user or one NAS, without a restart): the
 * shapes the RADIUS processes, the trace hub and the admin API share, and the port the API reaches the hub through
 * (TraceService). A trace matches requests by User-Name or by NAS (its name, or its source address), and their
 * replies; each match is a TracePacketEvent with the attributes decoded by the dictionary and secrets hidden. The
 * hub lives in transport/trace-hub.ts, the tap in every RADIUS process in transport/trace-tap.ts; docs/console.md
 * ("Live trace") says how events travel between workers and instances.
 */

/** What a trace follows: one User-Name (exact), one NAS by its name, or one NAS by its source address. */
export type TraceFilter =
  | { readonly username: string }
  | { readonly nas: string }
  | { readonly address: string };

/** A trace as every RADIUS process knows it: enough to match packets. `expiresAt` in ms since the epoch. */
export interface TraceSpec {
  readonly id: number;
  readonly filter: TraceFilter;
  readonly expiresAt: number;
}

/** One attribute of a traced packet: dictionary name, vendor name when a VSA, the value as text. */
export interface TraceAttribute {
  readonly name: string;
  readonly vendor?: string;
  readonly value: string;
}

/**
 * One packet seen by a trace: a request as received (`in`) or a reply as sent (`out`). A request refused before
 * its handler (bad authenticator, malformed, unknown client…) carries `dropped`, the drop reason of
 * tollgate_radius_dropped_total; a retransmission answered from the reply cache carries `replayed` on its reply.
 */
export interface TracePacketEvent {
  readonly type: 'packet';
  readonly trace: number;
  /** ISO-8601 time the packet was handled. */
  readonly at: string;
  readonly direction: 'in' | 'out';
  /** The NAS client entry's name; null for a packet from an address no client entry covers. */
  readonly nas: string | null;
  /** The NAS's source address and port, `address:port` (`[v6]:port` for IPv6). */
  readonly client: string;
  /** RADIUS code name (Access-Request, Accounting-Response…), or the number when unknown. */
  readonly code: string;
  readonly identifier: number;
  readonly length: number;
  readonly attributes: readonly TraceAttribute[];
  readonly dropped?: string;
  readonly replayed?: true;
  /** The process that saw it (`<instance>/<worker>`), for a trace served by several. */
  readonly seenBy?: string;
}

/** How many events of a trace were left out so far (over the per-trace rate, or a consumer too slow). */
export interface TraceDroppedEvent {
  readonly type: 'dropped';
  readonly trace: number;
  readonly dropped: number;
}

/** The trace ended; the stream closes after this. */
export interface TraceEndEvent {
  readonly type: 'end';
  readonly trace: number;
  readonly reason: 'expired' | 'deleted' | 'shutdown';
}

export type TraceStreamEvent = TracePacketEvent | TraceDroppedEvent | TraceEndEvent;

/** Who runs a trace (the API's actor): traces and streams are bounded per operator. */
export interface TraceOwner {
  /** Stable key per operator: `operator:<id>`, or the login for the bootstrap admin. */
  readonly key: string;
  readonly login: string;
  readonly operatorId: number | null;
}

/** A trace as the API lists it. */
export interface TraceInfo {
  readonly id: number;
  readonly filter: TraceFilter;
  readonly owner: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Packet events delivered so far, and events left out (rate limit, slow consumers). */
  readonly events: number;
  readonly dropped: number;
  /** False for a trace started on another instance (seen here, served there). */
  readonly local: boolean;
}

export type TraceStartResult =
  | { readonly ok: true; readonly trace: TraceInfo }
  | { readonly ok: false; readonly reason: 'operator-limit' | 'total-limit'; readonly limit: number };

export type TraceSubscribeResult =
  | { readonly ok: true; readonly subscription: TraceSubscription }
  | { readonly ok: false; readonly reason: 'not-found' | 'stream-limit'; readonly limit?: number };

/** A consumer of one trace's events (an SSE stream): recent events first, then live ones, until it ends. */
export interface TraceSubscription {
  /** The next event; resolves with null once the trace ended and every event was taken, or after close(). */
  next(): Promise<TraceStreamEvent | null>;
  /** Stops consuming (the client went away); a pending next() resolves with null. */
  close(): void;
}

/** The trace hub as the admin API sees it (transport/trace-hub.ts implements it). */
export interface TraceService {
  start(filter: TraceFilter, minutes: number, owner: TraceOwner): TraceStartResult;
  /** Active traces, this instance's and the ones other instances announced. */
  list(): TraceInfo[];
  get(id: number): TraceInfo | undefined;
  /** Ends a trace started on this instance; false when there is none with the id here. */
  stop(id: number): boolean;
  subscribe(id: number, owner: TraceOwner): TraceSubscribeResult;
}

/** The limits of live traces (constants; docs/console.md "Live trace"). */
export const TRACE_LIMITS = {
  /** Active traces one operator may run at once. */
  perOperator: 2,
  /** Active traces in all (this instance's and those other instances announced). */
  total: 20,
  minMinutes: 1,
  maxMinutes: 30,
  defaultMinutes: 5,
  /** Packet events per second per trace; beyond it events are counted as dropped. */
  eventsPerSecond: 200,
  /** Event streams (SSE connections) one operator may hold open at once. */
  streamsPerOperator: 4,
  /** Recent events a trace keeps for a stream that connects later. */
  recentEvents: 100,
  /** Events queued for one stream that does not read; beyond it its events are dropped (and counted). */
  streamQueue: 1000,
  /** Seconds between SSE heartbeat comments. */
  heartbeatSeconds: 15,
} as const;

/** The owner key of an operator (the API's actor). */
export function traceOwnerOf(actor: { readonly operatorId: number | null; readonly login: string }): TraceOwner {
  return { key: actor.operatorId === null ? `login:${actor.login}` : `operator:${actor.operatorId}`, login: actor.login, operatorId: actor.operatorId };
}
