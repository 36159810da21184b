/**
 * RADIUS over UDP: one socket per (address, port). For each datagram: find the client by source address, then
 * the request path every listener shares (request-path.ts: bounds-checked parse, authenticity in constant time
 * before any attribute is trusted, the handler, the signed reply); this server adds duplicate detection, so a
 * retransmission gets the reply remembered for it. Bad datagrams are dropped and counted; nothing a peer sends
 * can throw out of the receive loop. The sockets are udp-endpoint.ts's: node:dgram, or the batched addon when
 * `radius.io` allows (the path in use is in the listener log lines and tollgate_radius_udp_io_info). */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger.js';
import { countDrop, DropReason, duplicatesInProgress, inFlight, radiusDuration, radiusUdpIo, replyCacheHits, Tally, type DropReasonValue } from '../observability/metrics.js';
import { codeName } from '../radius/codes.js';
import type { HandlerResult, Handlers, PortRole, Reply } from '../radius/handler.js';
import type { NasTable } from './nas-table.js';
import { AdmissionController, OVERLOAD_OFF, overloadLog, type OverloadOptions } from './admission.js';
import { ReplyCache, type CacheEntry } from './reply-cache.js';
import { Request, RequestPath } from './request-path.js';
import { chooseIo, openEndpoint, type IoChoice, type UdpEndpoint, type UdpIo, type UdpIoSetting } from './udp-endpoint.js';

export interface UdpServerOptions {
  readonly listen: readonly string[];
  readonly authPort: number;
  readonly acctPort: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly replyCacheSeconds: number;
  /** How often a warning about the same input problem (per client and reason, or per unknown address) is logged. */
  readonly unknownClientLogIntervalSeconds: number;
  /** Serve the ports with node:cluster siblings (dgram: the primary's socket; batch: one socket each, SO_REUSEPORT). */
  readonly shared: boolean;
  /** How many workers share the ports (batch: their sockets split the load by RADIUS Identifier). */
  readonly groupSize?: number;
  /** Shedding new Access-Requests under overload (admission.ts); unset = off. */
  readonly overload?: OverloadOptions;
  /** radius.io: the UDP I/O path (udp-endpoint.ts). */
  readonly io: UdpIoSetting;
  /** The batched addon's file, when not where the install builds it (tests). */
  readonly batchAddonFile?: string;
}

const cacheHits = Tally.of(replyCacheHits);
const duplicates = Tally.of(duplicatesInProgress);

const durationByCode = new Map<number, ReturnType<typeof radiusDuration.labels>>();
/** The request's duration, by request code (every transport shares the histogram). */
export function observeDuration(code: number, seconds: number): void {
  let h = durationByCode.get(code);
  if (!h) durationByCode.set(code, (h = radiusDuration.labels(codeName(code))));
  h.observe(seconds);
}

interface Listener {
  readonly socket: UdpEndpoint;
  readonly role: PortRole;
  readonly address: string;
  readonly cache: ReplyCache;
  port: number;
}

export class UdpServer {
  private readonly listeners: Listener[] = [];
  /** The per-request path, shared with the stream listeners (one limiter for warnings about RADIUS input). */
  readonly path: RequestPath;
  private inflight = 0;
  private draining = false;
  private drained: (() => void) | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private ioChoice: IoChoice | null = null;

  constructor(
    private nas: NasTable,
    handlers: Handlers,
    private readonly options: UdpServerOptions,
    private readonly log: Logger,
    /** Which datagrams are processed under overload; built from `options.overload` unless given (tests). */
    readonly admission: AdmissionController = new AdmissionController(options.overload ?? OVERLOAD_OFF, { onChange: overloadLog(log) }),
  ) {
    this.path = new RequestPath(handlers, log, options.unknownClientLogIntervalSeconds);
  }

  /** Replaces the client table (SIGHUP, API change). Requests already in flight keep the client they had. */
  setNasTable(nas: NasTable): void {
    this.nas = nas;
  }

  /** Bound ports by role, e.g. after binding port 0 in tests. */
  ports(): { auth: number; acct: number } {
    const auth = this.listeners.find((l) => l.role === 'auth')?.port ?? 0;
    const acct = this.listeners.find((l) => l.role === 'acct')?.port ?? 0;
    return { auth, acct };
  }

  /** The UDP I/O path in use (known once started). */
  io(): UdpIo {
    return this.ioChoice?.io ?? 'dgram';
  }

  async start(): Promise<void> {
    const { listen, authPort, acctPort } = this.options;
    const choice = chooseIo(this.options.io, { shared: this.options.shared, ports: [authPort, acctPort], addonFile: this.options.batchAddonFile });
    this.ioChoice = choice;
    for (const io of ['batch', 'dgram'] as const) radiusUdpIo.labels(io).set(io === choice.io ? 1 : 0);
    if (choice.io === 'dgram' && this.options.io !== 'dgram') this.log.info({ io: choice.io, reason: choice.reason }, 'RADIUS UDP I/O falls back to node:dgram');
    // Bind the first address of each role first, so port 0 yields one port shared by every address.
    for (const [role, wanted] of [['auth', authPort], ['acct', acctPort]] as const) {
      let port = wanted;
      for (const address of listen) {
        const listener = await this.bind(role, address, port).catch((err: NodeJS.ErrnoException) => {
          // A host without IPv6 (common in containers) should not stop an IPv4 service from starting.
          if (address === '::' && (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL')) {
            this.log.warn({ address, err: err.message }, 'IPv6 is not available here; listening on IPv4 only');
            return null;
          }
          throw err;
        });
        if (listener && port === 0) port = listener.port;
      }
    }
    const ttl = this.options.replyCacheSeconds * 1000;
    this.sweepTimer = setInterval(() => {
      const now = performance.now();
      for (const l of this.listeners) l.cache.sweep(now);
    }, Math.max(250, Math.min(ttl, 1000)));
    this.sweepTimer.unref();
    this.admission.start();
  }

  private async bind(role: PortRole, address: string, port: number): Promise<Listener> {
    const cache = new ReplyCache(this.options.replyCacheSeconds * 1000);
    let listener: Listener | null = null;
    const socket = await openEndpoint(this.ioChoice as IoChoice, {
      address,
      port,
      receiveBufferBytes: this.options.receiveBufferBytes,
      sendBufferBytes: this.options.sendBufferBytes,
      shared: this.options.shared,
      groupSize: this.options.groupSize ?? 0,
      onMessage: (msg, from, fromPort) => {
        if (listener) this.onMessage(listener, msg, from, fromPort);
      },
      // Longer than any RADIUS packet (RFC 2865 §3): malformed, as the codec would call it.
      onTruncated: (count) => {
        for (let i = 0; i < count; i++) this.drop(DropReason.Malformed);
      },
      onError: (err) => this.log.error({ err, address, role }, 'socket error'),
    });
    listener = { socket, role, address, cache, port: socket.port };
    const got = socket.recvBufferSize;
    // Linux doubles the value asked for (bookkeeping overhead) and reports that: half of it is what was
    // granted. Less than asked means net.core.rmem_max capped it.
    const granted = process.platform === 'linux' ? got / 2 : got;
    if (granted < this.options.receiveBufferBytes) {
      this.log.warn(
        { requested: this.options.receiveBufferBytes, got },
        'UDP receive buffer smaller than configured; raise net.core.rmem_max to avoid drops under bursts',
      );
    }
    this.listeners.push(listener);
    this.log.info({ role, address, port: listener.port, recvBuffer: got, io: socket.io }, 'RADIUS listener ready');
    return listener;
  }

  private drop(reason: DropReasonValue): void {
    countDrop(reason);
  }

  private onMessage(listener: Listener, msg: Buffer, address: string, port: number): void {
    if (this.draining) return this.drop(DropReason.ShuttingDown);
    // Overload: a new Access-Request may be shed before any work is spent on it (counted in admission.ts).
    if (!this.admission.admit(listener.role, msg[0])) return;
    const client = this.nas.lookup(address);
    if (!client) {
      this.path.trace?.dropped(undefined, msg, null, address, port, DropReason.UnknownClient);
      return this.path.unknownClient(address, port);
    }
    const started = performance.now();
    const packet = this.path.verify(client, msg, listener.role, address, port);
    if (!packet) return;

    const lookup = listener.cache.begin(address, port, packet.identifier, packet.authenticator, started);
    if (lookup.kind === 'replay') {
      cacheHits.inc();
      listener.socket.send(lookup.reply, port, address);
      this.path.trace?.replayed(client, packet, address, port, lookup.reply);
      return;
    }
    if (lookup.kind === 'in-progress') {
      duplicates.inc();
      this.path.trace?.dropped(client, msg, packet, address, port, DropReason.DuplicateInProgress);
      return this.drop(DropReason.DuplicateInProgress);
    }
    const ctx = new Request(client, packet, { address, port }, listener.role, this.path);
    let result: HandlerResult;
    try {
      result = this.path.dispatch(ctx);
    } catch (err) {
      this.failed(listener, ctx, lookup.entry, err);
      return;
    }
    if (result instanceof Promise) {
      this.inflight++;
      inFlight.inc();
      result.then(
        (reply) => this.respond(listener, ctx, lookup.entry, reply, started),
        (err: unknown) => this.failed(listener, ctx, lookup.entry, err),
      ).finally(() => {
        this.inflight--;
        inFlight.dec();
        if (this.inflight === 0 && this.drained) this.drained();
      });
    } else {
      this.respond(listener, ctx, lookup.entry, result, started);
    }
  }

  private respond(listener: Listener, ctx: Request, entry: CacheEntry | null, reply: Reply | null, started: number): void {
    if (!reply) {
      listener.cache.abandon(entry);
      return;
    }
    const bytes = this.path.encode(ctx, reply);
    if (!bytes) {
      listener.cache.abandon(entry);
      return;
    }
    listener.cache.complete(entry, bytes);
    listener.socket.send(bytes, ctx.source.port, ctx.source.address);
    ctx.client.counters.response(reply.code);
    const seconds = (performance.now() - started) / 1000;
    observeDuration(ctx.packet.code, seconds);
    this.admission.answered(ctx.packet.code, seconds);
  }

  private failed(listener: Listener, ctx: Request, entry: CacheEntry | null, err: unknown): void {
    listener.cache.abandon(entry);
    this.path.failed(ctx, err);
  }

  /**
   * Drain: stop taking new requests, wait for those in flight (up to `timeoutMs`) so their replies go out,
   * then close the sockets.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.admission.stop();
    if (this.inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.inflight > 0) this.log.warn({ inflight: this.inflight }, 'drain timed out; closing with requests in flight');
    }
    // Each endpoint lets the replies just sent leave before it closes.
    await Promise.all(this.listeners.map((l) => l.socket.close()));
    this.listeners.length = 0;
  }
}

