/**
 * RADIUS over UDP: one socket per (address, port). For each datagram: find the client by source address, then
 * the request path every listener shares (request-path.ts: bounds-checked parse, authenticity in constant time
 * before any attribute is trusted, the handler, the signed reply); this server adds duplicate detection, so a
 * retransmission gets the reply remembered for it. Bad datagrams are dropped and counted; nothing a peer sends
 * can throw out of the receive loop. */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger.js';
import { countDrop, DropReason, duplicatesInProgress, inFlight, radiusDuration, replyCacheHits, Tally, type DropReasonValue } from '../observability/metrics.js';
import { codeName } from '../radius/codes.js';
import type { HandlerResult, Handlers, PortRole, Reply } from '../radius/handler.js';
import type { NasTable } from './nas-table.js';
import { AdmissionController, OVERLOAD_OFF, overloadLog, type OverloadOptions } from './admission.js';
import { ReplyCache, type CacheEntry } from './reply-cache.js';
import { Request, RequestPath } from './request-path.js';

export interface UdpServerOptions {
  readonly listen: readonly string[];
  readonly authPort: number;
  readonly acctPort: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly replyCacheSeconds: number;
  /** How often a warning about the same input problem (per client and reason, or per unknown address) is logged. */
  readonly unknownClientLogIntervalSeconds: number;
  /** Share sockets with node:cluster siblings (each worker reads the same socket). */
  readonly shared: boolean;
  /** Shedding new Access-Requests under overload (admission.ts); unset = off. */
  readonly overload?: OverloadOptions;
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
  readonly socket: dgram.Socket;
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

  async start(): Promise<void> {
    const { listen, authPort, acctPort } = this.options;
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

  private bind(role: PortRole, address: string, port: number): Promise<Listener> {
    return new Promise((resolve, reject) => {
      const type = address.includes(':') ? 'udp6' : 'udp4';
      const socket = dgram.createSocket({
        type,
        ipv6Only: type === 'udp6',
        recvBufferSize: this.options.receiveBufferBytes,
        sendBufferSize: this.options.sendBufferBytes,
      });
      const listener: Listener = { socket, role, address, cache: new ReplyCache(this.options.replyCacheSeconds * 1000), port };
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind({ address, port, exclusive: !this.options.shared }, () => {
        socket.off('error', onError);
        socket.on('error', (err) => this.log.error({ err, address, role }, 'socket error'));
        listener.port = socket.address().port;
        const got = socket.getRecvBufferSize();
        // Linux doubles the value asked for (bookkeeping overhead) and reports that: half of it is what was
        // granted. Less than asked means net.core.rmem_max capped it.
        const granted = process.platform === 'linux' ? got / 2 : got;
        if (granted < this.options.receiveBufferBytes) {
          this.log.warn(
            { requested: this.options.receiveBufferBytes, got },
            'UDP receive buffer smaller than configured; raise net.core.rmem_max to avoid drops under bursts',
          );
        }
        socket.on('message', (msg, rinfo) => this.onMessage(listener, msg, rinfo.address, rinfo.port));
        this.listeners.push(listener);
        this.log.info({ role, address, port: listener.port, recvBuffer: got }, 'RADIUS listener ready');
        resolve(listener);
      });
    });
  }

  private drop(reason: DropReasonValue): void {
    countDrop(reason);
  }

  private onMessage(listener: Listener, msg: Buffer, address: string, port: number): void {
    if (this.draining) return this.drop(DropReason.ShuttingDown);
    // Overload: a new Access-Request may be shed before any work is spent on it (counted in admission.ts).
    if (!this.admission.admit(listener.role, msg[0])) return;
    const client = this.nas.lookup(address);
    if (!client) return this.path.unknownClient(address, port);
    const started = performance.now();
    const packet = this.path.verify(client, msg, listener.role, address);
    if (!packet) return;

    const lookup = listener.cache.begin(address, port, packet.identifier, packet.authenticator, started);
    if (lookup.kind === 'replay') {
      cacheHits.inc();
      listener.socket.send(lookup.reply, port, address);
      return;
    }
    if (lookup.kind === 'in-progress') {
      duplicates.inc();
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
    // socket.send() resolves the address on the next tick before it hands the datagram to the kernel: let the
    // replies just sent leave before the sockets close.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(this.listeners.map((l) => new Promise<void>((resolve) => l.socket.close(() => resolve()))));
    this.listeners.length = 0;
  }
}

