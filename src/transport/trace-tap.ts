/**
 * The live-trace tap of one RADIUS process: the traces it was told about (TraceSpecs, from the hub of its instance
 * directly or over cluster IPC), matched against every request and reply of the request paths it is attached to
 * (UDP and the stream listeners share one), and against the packets they drop.
 *
 * Cost when no trace is active: nothing but one field read per request and one per reply — the request path's
 * `trace` is null, and only set to this tap while it holds a trace. While one is active, each request is matched
 * (User-Name compared as bytes, the NAS by its name or source address); a match becomes a TracePacketEvent
 * (trace-packet.ts decodes it, secrets hidden) handed to `out`. Each trace is bounded to
 * TRACE_LIMITS.eventsPerSecond events per second in this process; what is left out is counted and reported to
 * `out` once a second as a `dropped` delta.
 */
import type { TraceDroppedEvent, TraceFilter, TracePacketEvent, TraceSpec } from '../domain/trace.js';
import { TRACE_LIMITS } from '../domain/trace.js';
import { countTraceDropped, traceEventsProduced } from '../observability/metrics.js';
import { Attr } from '../radius/codes.js';
import type { Dictionary } from '../radius/dictionary.js';
import { attributeValue, type RawPacket } from '../radius/packet.js';
import { addressToBigInt } from '../radius/primitives.js';
import type { NasClient } from './nas-table.js';
import type { Request, RequestPath } from './request-path.js';
import { describeBytes, describeParsed, endpointText, type DescribedPacket } from './trace-packet.js';

/** What a tap hands on: a packet event, or how many events of a trace it left out since its last report. */
export type TapEvent = TracePacketEvent | TraceDroppedEvent;

interface Active {
  readonly spec: TraceSpec;
  /** The User-Name's bytes, for a username filter. */
  readonly username: Buffer | undefined;
  readonly nas: string | undefined;
  /** The address as an integer, for an address filter (canonical whatever text form it came in). */
  readonly address: { family: 4 | 6; value: bigint } | undefined;
  windowStart: number;
  inWindow: number;
  dropped: number;
}

export interface TraceTapOptions {
  /** Named in each event (`seenBy`): which instance and process saw the packet. */
  readonly seenBy?: string;
  readonly now?: () => number;
  readonly eventsPerSecond?: number;
}

function compile(spec: TraceSpec, previous: Active | undefined): Active {
  const f: TraceFilter = spec.filter;
  return {
    spec,
    username: 'username' in f ? Buffer.from(f.username, 'utf8') : undefined,
    nas: 'nas' in f ? f.nas : undefined,
    address: 'address' in f ? addressToBigInt(f.address) : undefined,
    windowStart: previous?.windowStart ?? 0,
    inWindow: previous?.inWindow ?? 0,
    dropped: previous?.dropped ?? 0,
  };
}

function sameAddress(a: { family: 4 | 6; value: bigint }, text: string): boolean {
  const b = addressToBigInt(text);
  return b !== undefined && b.family === a.family && b.value === a.value;
}

export class TraceTap {
  private active: readonly Active[] = [];
  private readonly paths: RequestPath[] = [];
  private expiryTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly perSecond: number;

  constructor(
    private readonly dict: Dictionary,
    private readonly out: (event: TapEvent) => void,
    private readonly options: TraceTapOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.perSecond = options.eventsPerSecond ?? TRACE_LIMITS.eventsPerSecond;
  }

  /** Taps this request path (its `trace` field is this tap while a trace is active, else null). */
  attach(path: RequestPath): void {
    this.paths.push(path);
    path.trace = this.active.length > 0 ? this : null;
  }

  /** The traces to match, replacing the ones before (the hub sends its whole set on every change). */
  set(specs: readonly TraceSpec[]): void {
    const now = this.now();
    const before = new Map(this.active.map((a) => [a.spec.id, a]));
    this.flush();
    this.active = specs.filter((s) => s.expiresAt > now).map((s) => compile(s, before.get(s.id)));
    const on = this.active.length > 0;
    for (const p of this.paths) p.trace = on ? this : null;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (this.flushTimer && !on) {
      clearInterval(this.flushTimer);
      this.flushTimer = null;
    }
    if (!on) return;
    // A trace ends here at its expiry even if the hub's word of it never arrives.
    const next = Math.min(...this.active.map((a) => a.spec.expiresAt));
    this.expiryTimer = setTimeout(() => this.set(this.active.map((a) => a.spec)), Math.max(0, next - now) + 1).unref();
    this.flushTimer ??= setInterval(() => this.flush(), 1000).unref();
  }

  /** The traces being matched (tests). */
  specs(): readonly TraceSpec[] {
    return this.active.map((a) => a.spec);
  }

  stop(): void {
    this.set([]);
  }

  /** A request that passed the checks, about to be handled. */
  request(ctx: Request): void {
    let packet: DescribedPacket | undefined;
    for (const a of this.active) {
      if (!this.matches(a, ctx.client, ctx.source.address, ctx.packet)) continue;
      packet ??= describeParsed(this.dict, ctx.packet);
      this.emit(a, 'in', ctx.client, ctx.source.address, ctx.source.port, packet);
    }
  }

  /** The reply to `ctx` as it is sent (its signed bytes); `replayed` when it came from the reply cache. */
  reply(ctx: Pick<Request, 'client' | 'source' | 'packet'>, bytes: Buffer, replayed = false): void {
    let packet: DescribedPacket | undefined;
    for (const a of this.active) {
      if (!this.matches(a, ctx.client, ctx.source.address, ctx.packet)) continue;
      packet ??= describeBytes(this.dict, bytes);
      this.emit(a, 'out', ctx.client, ctx.source.address, ctx.source.port, packet, replayed ? { replayed: true } : undefined);
    }
  }

  /** A retransmission answered from the reply cache: the request as it came, and the reply sent again. */
  replayed(client: NasClient, packet: RawPacket, address: string, port: number, reply: Buffer): void {
    const ctx = { client, packet, source: { address, port } };
    let described: DescribedPacket | undefined;
    for (const a of this.active) {
      if (!this.matches(a, client, address, packet)) continue;
      described ??= describeParsed(this.dict, packet);
      this.emit(a, 'in', client, address, port, described);
    }
    this.reply(ctx, reply, true);
  }

  /**
   * A packet dropped before any handler: `packet` when it parsed (failed authenticity), else the raw bytes;
   * `client` undefined for an address no client entry covers. Matched by NAS, or by a User-Name it carries.
   */
  dropped(client: NasClient | undefined, msg: Buffer, packet: RawPacket | null, address: string, port: number, reason: string): void {
    let described: DescribedPacket | undefined;
    for (const a of this.active) {
      if (!this.matches(a, client, address, packet)) continue;
      described ??= packet ? describeParsed(this.dict, packet) : describeBytes(this.dict, msg);
      this.emit(a, 'in', client, address, port, described, { dropped: reason });
    }
  }

  private matches(a: Active, client: NasClient | undefined, address: string, packet: RawPacket | null): boolean {
    if (a.username !== undefined) {
      const name = packet ? attributeValue(packet, Attr.UserName) : undefined;
      return name !== undefined && name.equals(a.username);
    }
    if (a.nas !== undefined) return client !== undefined && client.name === a.nas;
    return a.address !== undefined && sameAddress(a.address, address);
  }

  private emit(
    a: Active,
    direction: 'in' | 'out',
    client: NasClient | undefined,
    address: string,
    port: number,
    packet: DescribedPacket,
    extra?: { dropped: string } | { replayed: true },
  ): void {
    const now = this.now();
    if (now >= a.spec.expiresAt) return;
    if (now - a.windowStart >= 1000) {
      a.windowStart = now;
      a.inWindow = 0;
    }
    if (a.inWindow >= this.perSecond) {
      a.dropped++;
      countTraceDropped('rate');
      return;
    }
    a.inWindow++;
    traceEventsProduced.inc();
    this.out({
      type: 'packet',
      trace: a.spec.id,
      at: new Date(now).toISOString(),
      direction,
      nas: client?.name ?? null,
      client: endpointText(address, port),
      ...packet,
      ...extra,
      ...(this.options.seenBy === undefined ? {} : { seenBy: this.options.seenBy }),
    });
  }

  /** Reports the events left out since the last report, per trace. */
  private flush(): void {
    for (const a of this.active) {
      if (a.dropped === 0) continue;
      const dropped = a.dropped;
      a.dropped = 0;
      this.out({ type: 'dropped', trace: a.spec.id, dropped });
    }
  }
}
