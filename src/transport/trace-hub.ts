/**
 * The live-trace hub of one instance (in the process serving the admin API: the cluster primary, or the single
 * process): the registry of active traces with their limits, the event streams that read them, and the routing of
 * events. It is the TraceService the API uses (domain/trace.ts).
 *
 * - Traces started here ("local") have an owner, an expiry (1–30 minutes), a few recent events for a stream that
 *   connects later, and their streams. At most TRACE_LIMITS.perOperator per operator and TRACE_LIMITS.total in
 *   all, counting the traces other instances announced; at most TRACE_LIMITS.eventsPerSecond events per second
 *   per trace (what the taps of all processes send together), the rest counted as dropped.
 * - Traces of other instances ("remote") are known from their announcements (`controlMessage`): this instance's
 *   taps match them too, and their events are forwarded (`forward`) to the instance that serves the trace.
 * - `onSpecs` is told every trace this instance's taps must match (local and remote) whenever the set changes;
 *   `announce` carries this instance's state to the others, on every change and every few seconds (a late
 *   instance learns it, and an instance that went silent has its traces dropped).
 *
 * Transport-free: app/trace.ts carries the messages (in-process, cluster IPC, HotCache pub/sub).
 */
import { randomInt } from 'node:crypto';
import {
  TRACE_LIMITS,
  type TraceFilter,
  type TraceInfo,
  type TraceOwner,
  type TraceService,
  type TraceSpec,
  type TraceStartResult,
  type TraceStreamEvent,
  type TraceSubscribeResult,
  type TraceSubscription,
} from '../domain/trace.js';
import { countTraceDropped, tracesActive } from '../observability/metrics.js';
import type { TapEvent } from './trace-tap.js';

/** What instances tell each other on the control channel. */
export type TraceControlMessage =
  | { readonly op: 'state'; readonly instance: string; readonly traces: readonly AnnouncedTrace[] }
  | { readonly op: 'hello'; readonly instance: string };

export interface AnnouncedTrace {
  readonly id: number;
  readonly filter: TraceFilter;
  readonly owner: string;
  readonly ownerKey: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface TraceHubOptions {
  /** This instance's id on the control channel (its own announcements come back and are ignored). */
  readonly instance: string;
  /** Every trace the taps of this instance must match, after each change. */
  readonly onSpecs: (specs: readonly TraceSpec[]) => void;
  /** Sends a control message to the other instances (absent: a single instance). */
  readonly announce?: (message: TraceControlMessage) => void;
  /** Sends an event of a trace another instance serves to it. */
  readonly forward?: (event: TapEvent) => void;
  readonly now?: () => number;
  readonly newId?: () => number;
  readonly eventsPerSecond?: number;
}

/** How often this instance repeats its state, and how long another instance may stay silent before its traces go. */
export const ANNOUNCE_EVERY_MS = 5000;
export const REMOTE_SILENCE_MS = 20_000;

interface Stream {
  readonly ownerKey: string;
  readonly queue: TraceStreamEvent[];
  waiting: ((event: TraceStreamEvent | null) => void) | null;
  /** Events this stream missed while its queue was full; `missed`: a `dropped` event is due. */
  lost: number;
  missed: boolean;
  ended: boolean;
  closed: boolean;
}

interface LocalTrace {
  readonly id: number;
  readonly filter: TraceFilter;
  readonly owner: TraceOwner;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly timer: NodeJS.Timeout;
  readonly recent: TraceStreamEvent[];
  readonly streams: Set<Stream>;
  events: number;
  dropped: number;
  windowStart: number;
  inWindow: number;
}

interface RemoteTrace extends AnnouncedTrace {
  readonly instance: string;
}

export class TraceHub implements TraceService {
  private readonly local = new Map<number, LocalTrace>();
  private readonly remote = new Map<number, RemoteTrace>();
  private readonly heardFrom = new Map<string, number>();
  private readonly streamsByOwner = new Map<string, number>();
  private readonly now: () => number;
  private readonly newId: () => number;
  private readonly perSecond: number;
  private ticker: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: TraceHubOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => randomInt(1, 2 ** 47));
    this.perSecond = options.eventsPerSecond ?? TRACE_LIMITS.eventsPerSecond;
  }

  /** Says hello to the other instances (they answer with their state) and starts the periodic announcements. */
  open(): void {
    this.options.announce?.({ op: 'hello', instance: this.options.instance });
    this.ticker = setInterval(() => this.tick(), ANNOUNCE_EVERY_MS).unref();
  }

  /** After the control channel was down: this instance's state again, and the others' asked for. */
  resync(): void {
    this.options.announce?.({ op: 'hello', instance: this.options.instance });
    this.options.announce?.(this.state());
  }

  /** Ends every local trace (`shutdown`), tells the other instances, stops announcing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    for (const t of [...this.local.values()]) this.end(t, 'shutdown', false);
    this.remote.clear();
    this.changed();
  }

  // The TraceService port -------------------------------------------------------------------------------------

  start(filter: TraceFilter, minutes: number, owner: TraceOwner): TraceStartResult {
    this.expireRemote();
    const all = [...this.local.values()].map((t) => t.owner.key).concat([...this.remote.values()].map((t) => t.ownerKey));
    if (all.filter((k) => k === owner.key).length >= TRACE_LIMITS.perOperator) return { ok: false, reason: 'operator-limit', limit: TRACE_LIMITS.perOperator };
    if (all.length >= TRACE_LIMITS.total) return { ok: false, reason: 'total-limit', limit: TRACE_LIMITS.total };
    const m = Math.min(TRACE_LIMITS.maxMinutes, Math.max(TRACE_LIMITS.minMinutes, Math.round(minutes)));
    let id = this.newId();
    while (this.local.has(id) || this.remote.has(id)) id = this.newId();
    const now = this.now();
    const expiresAt = now + m * 60_000;
    const trace: LocalTrace = {
      id,
      filter,
      owner,
      createdAt: now,
      expiresAt,
      timer: setTimeout(() => this.expire(id), expiresAt - now).unref(),
      recent: [],
      streams: new Set(),
      events: 0,
      dropped: 0,
      windowStart: 0,
      inWindow: 0,
    };
    this.local.set(id, trace);
    this.changed();
    return { ok: true, trace: this.infoOf(trace) };
  }

  list(): TraceInfo[] {
    this.expireRemote();
    return [...[...this.local.values()].map((t) => this.infoOf(t)), ...[...this.remote.values()].map((t) => this.remoteInfo(t))].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id,
    );
  }

  get(id: number): TraceInfo | undefined {
    const t = this.local.get(id);
    if (t) return this.infoOf(t);
    this.expireRemote();
    const r = this.remote.get(id);
    return r && this.remoteInfo(r);
  }

  stop(id: number): boolean {
    const t = this.local.get(id);
    if (!t) return false;
    this.end(t, 'deleted', true);
    return true;
  }

  subscribe(id: number, owner: TraceOwner): TraceSubscribeResult {
    const t = this.local.get(id);
    // Stopping: no new stream may hold the admin listener's drain.
    if (!t || this.closed) return { ok: false, reason: 'not-found' };
    const open = this.streamsByOwner.get(owner.key) ?? 0;
    if (open >= TRACE_LIMITS.streamsPerOperator) return { ok: false, reason: 'stream-limit', limit: TRACE_LIMITS.streamsPerOperator };
    this.streamsByOwner.set(owner.key, open + 1);
    const stream: Stream = { ownerKey: owner.key, queue: [...t.recent], waiting: null, lost: 0, missed: false, ended: false, closed: false };
    if (t.dropped > 0) stream.queue.push({ type: 'dropped', trace: id, dropped: t.dropped });
    t.streams.add(stream);
    return { ok: true, subscription: this.subscriptionOf(t, stream) };
  }

  // Events from the taps --------------------------------------------------------------------------------------

  /** An event from a tap of this instance, or from another instance for a trace served here. */
  deliver(event: TapEvent): void {
    const t = this.local.get(event.trace);
    if (!t) {
      if (this.remote.has(event.trace)) this.options.forward?.(event);
      return;
    }
    if (event.type === 'dropped') {
      t.dropped += event.dropped;
      for (const s of t.streams) this.pushTo(s, { type: 'dropped', trace: t.id, dropped: t.dropped + s.lost });
      return;
    }
    const now = this.now();
    if (now - t.windowStart >= 1000) {
      t.windowStart = now;
      t.inWindow = 0;
    }
    if (t.inWindow >= this.perSecond) {
      t.dropped++;
      countTraceDropped('rate');
      return;
    }
    t.inWindow++;
    t.events++;
    t.recent.push(event);
    if (t.recent.length > TRACE_LIMITS.recentEvents) t.recent.shift();
    this.push(t, event);
  }

  /** Whether an event of trace `id` is for this instance (tests; the app's routing asks deliver()). */
  serves(id: number): boolean {
    return this.local.has(id);
  }

  /** Every trace this instance's taps must match. */
  specs(): TraceSpec[] {
    const now = this.now();
    const out: TraceSpec[] = [];
    for (const t of this.local.values()) out.push({ id: t.id, filter: t.filter, expiresAt: t.expiresAt });
    for (const t of this.remote.values()) if (t.expiresAt > now) out.push({ id: t.id, filter: t.filter, expiresAt: t.expiresAt });
    return out;
  }

  // Other instances -------------------------------------------------------------------------------------------

  /** A message of the control channel (from any instance, this one's own included). */
  controlMessage(message: TraceControlMessage): void {
    if (this.closed || message.instance === this.options.instance) return;
    if (message.op === 'hello') {
      this.options.announce?.(this.state());
      return;
    }
    this.heardFrom.set(message.instance, this.now());
    let changed = false;
    for (const [id, t] of this.remote) {
      if (t.instance === message.instance && !message.traces.some((a) => a.id === id)) {
        this.remote.delete(id);
        changed = true;
      }
    }
    for (const a of message.traces) {
      if (this.local.has(a.id)) continue;
      const before = this.remote.get(a.id);
      if (!before || before.expiresAt !== a.expiresAt) changed = true;
      this.remote.set(a.id, { ...a, instance: message.instance });
    }
    if (changed) this.options.onSpecs(this.specs());
  }

  /** This instance's traces as announced. */
  state(): TraceControlMessage {
    return {
      op: 'state',
      instance: this.options.instance,
      traces: [...this.local.values()].map((t) => ({ id: t.id, filter: t.filter, owner: t.owner.login, ownerKey: t.owner.key, createdAt: t.createdAt, expiresAt: t.expiresAt })),
    };
  }

  // Internals -------------------------------------------------------------------------------------------------

  private tick(): void {
    this.expireRemote();
    if (this.local.size > 0) this.options.announce?.(this.state());
  }

  /** Drops remote traces that expired, and those of instances silent too long. */
  private expireRemote(): void {
    const now = this.now();
    let changed = false;
    for (const [id, t] of this.remote) {
      const heard = this.heardFrom.get(t.instance) ?? 0;
      if (t.expiresAt <= now || now - heard > REMOTE_SILENCE_MS) {
        this.remote.delete(id);
        changed = true;
      }
    }
    if (changed) this.options.onSpecs(this.specs());
  }

  private expire(id: number): void {
    const t = this.local.get(id);
    if (t) this.end(t, 'expired', true);
  }

  private end(t: LocalTrace, reason: 'expired' | 'deleted' | 'shutdown', announce: boolean): void {
    clearTimeout(t.timer);
    this.local.delete(t.id);
    const end: TraceStreamEvent = { type: 'end', trace: t.id, reason };
    for (const s of t.streams) {
      s.ended = true;
      s.queue.push(end);
      this.wake(s);
    }
    if (announce) this.changed();
  }

  /** The local set changed: the taps, the other instances and the gauge learn it. */
  private changed(): void {
    tracesActive.set(this.local.size);
    this.options.onSpecs(this.specs());
    this.options.announce?.(this.state());
  }

  private push(t: LocalTrace, event: TraceStreamEvent): void {
    for (const s of t.streams) this.pushTo(s, event);
  }

  private pushTo(s: Stream, event: TraceStreamEvent): void {
    if (s.closed) return;
    if (s.queue.length >= TRACE_LIMITS.streamQueue) {
      if (event.type === 'packet') {
        s.lost++;
        s.missed = true;
        countTraceDropped('slow_consumer');
      }
      return;
    }
    s.queue.push(event);
    this.wake(s);
  }

  private wake(s: Stream): void {
    const waiting = s.waiting;
    if (!waiting) return;
    const event = s.queue.shift();
    if (event === undefined) return;
    s.waiting = null;
    waiting(event);
  }

  private subscriptionOf(t: LocalTrace, s: Stream): TraceSubscription {
    const close = (): void => {
      if (s.closed) return;
      s.closed = true;
      t.streams.delete(s);
      const n = (this.streamsByOwner.get(s.ownerKey) ?? 1) - 1;
      if (n <= 0) this.streamsByOwner.delete(s.ownerKey);
      else this.streamsByOwner.set(s.ownerKey, n);
      const waiting = s.waiting;
      s.waiting = null;
      waiting?.(null);
    };
    return {
      next: () => {
        if (s.closed) return Promise.resolve(null);
        if (s.missed && s.queue.length < TRACE_LIMITS.streamQueue / 2) {
          s.missed = false;
          return Promise.resolve({ type: 'dropped', trace: t.id, dropped: t.dropped + s.lost });
        }
        const event = s.queue.shift();
        if (event !== undefined) return Promise.resolve(event);
        if (s.ended) {
          close();
          return Promise.resolve(null);
        }
        return new Promise((resolve) => {
          s.waiting = resolve;
        });
      },
      close,
    };
  }

  private infoOf(t: LocalTrace): TraceInfo {
    return {
      id: t.id,
      filter: t.filter,
      owner: t.owner.login,
      createdAt: new Date(t.createdAt).toISOString(),
      expiresAt: new Date(t.expiresAt).toISOString(),
      events: t.events,
      dropped: t.dropped,
      local: true,
    };
  }

  private remoteInfo(t: RemoteTrace): TraceInfo {
    return { id: t.id, filter: t.filter, owner: t.owner, createdAt: new Date(t.createdAt).toISOString(), expiresAt: new Date(t.expiresAt).toISOString(), events: 0, dropped: 0, local: false };
  }
}
