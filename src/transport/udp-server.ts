/**
 * RADIUS over UDP: one socket per (address, port). For each datagram: find the client by source address,
 * parse with bounds checks, verify authenticity in constant time before trusting any attribute, detect
 * duplicates, hand the request to its handler, sign the reply (Message-Authenticator first for replies to
 * Access-Request and Status-Server), remember it for retransmissions. Bad datagrams are dropped and counted;
 * nothing a peer sends can throw out of the receive loop.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger.js';
import {
  countDrop,
  DropReason,
  duplicatesInProgress,
  inFlight,
  radiusDuration,
  replyCacheHits,
  Tally,
  type DropReasonValue,
} from '../observability/metrics.js';
import { requestProblem } from '../radius/authenticity.js';
import { Attr, Code, codeName } from '../radius/codes.js';
import { encodeReply } from '../radius/crypto.js';
import { RadiusError, type RadiusErrorCode } from '../radius/errors.js';
import type { HandlerResult, Handlers, PortRole, Reply, RequestContext } from '../radius/handler.js';
import { findAttributes, hasAttribute, parsePacket, type RawPacket } from '../radius/packet.js';
import { LogLimiter } from './log-limiter.js';
import type { NasClient, NasTable } from './nas-table.js';
import { ReplyCache, type CacheEntry } from './reply-cache.js';

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
}

/** The drop reason (metric label) of each way a request is refused; any other parse error is `malformed`. */
const DROP_FOR_ERROR: Partial<Record<RadiusErrorCode, DropReasonValue>> = {
  RADIUS_BAD_MESSAGE_AUTHENTICATOR: DropReason.BadMessageAuthenticator,
  RADIUS_DUPLICATE_MESSAGE_AUTHENTICATOR: DropReason.BadMessageAuthenticator,
  RADIUS_BAD_AUTHENTICATOR: DropReason.BadAuthenticator,
  RADIUS_MISSING_MESSAGE_AUTHENTICATOR: DropReason.MissingMessageAuthenticator,
  RADIUS_PROXY_STATE_WITHOUT_MA: DropReason.ProxyStateWithoutMA,
  RADIUS_EAP_WITH_PASSWORD: DropReason.EapWithPassword,
  RADIUS_UNKNOWN_CODE: DropReason.UnexpectedCode,
};

/** Where the handlers' contract meets this server: a request, and the one way its content problems are logged. */
class Request implements RequestContext {
  constructor(
    readonly client: NasClient,
    readonly packet: RawPacket,
    readonly source: { readonly address: string; readonly port: number },
    readonly role: PortRole,
    private readonly server: UdpServer,
  ) {}
  inputProblem(reason: string, fields: Record<string, unknown>, message: string): void {
    this.server.inputProblem(this.client.name, reason, { ...fields, id: this.packet.identifier }, message);
  }
}

const cacheHits = Tally.of(replyCacheHits);
const duplicates = Tally.of(duplicatesInProgress);

const durationByCode = new Map<number, ReturnType<typeof radiusDuration.labels>>();
function observeDuration(code: number, seconds: number): void {
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
  /** One limiter for every warning about RADIUS input: keyed by source address (unknown clients) or client and reason. */
  private readonly inputLog: LogLimiter;
  private inflight = 0;
  private draining = false;
  private drained: (() => void) | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private nas: NasTable,
    private readonly handlers: Handlers,
    private readonly options: UdpServerOptions,
    private readonly log: Logger,
  ) {
    this.inputLog = new LogLimiter(options.unknownClientLogIntervalSeconds * 1000);
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
    const client = this.nas.lookup(address);
    if (!client) return this.unknownClient(address, port);
    const started = performance.now();
    let packet: RawPacket;
    try {
      packet = parsePacket(msg);
    } catch (err) {
      const code = err instanceof RadiusError ? err.code : undefined;
      const reason = (code && DROP_FOR_ERROR[code]) || DropReason.Malformed;
      this.drop(reason);
      this.inputProblem(client.name, reason, { address, code, err: (err as Error).message }, 'malformed packet dropped');
      return;
    }
    const problem = requestProblem(listener.role, client, packet);
    // Counted by Message-Authenticator per NAS, and `auto` clients flip on their first valid one.
    if (packet.code === Code.AccessRequest) client.accessRequest(packet, problem);
    if (problem) {
      const reason = DROP_FOR_ERROR[problem] ?? DropReason.Malformed;
      this.drop(reason);
      this.inputProblem(client.name, reason, { address, id: packet.identifier, code: problem }, 'packet dropped');
      return;
    }
    client.counters.request(packet.code);

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
    const ctx = new Request(client, packet, { address, port }, listener.role, this);
    let result: HandlerResult;
    try {
      result = this.dispatch(ctx);
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

  private dispatch(ctx: RequestContext): HandlerResult {
    switch (ctx.packet.code) {
      case Code.AccessRequest:
        return this.handlers.access(ctx);
      case Code.AccountingRequest:
        return this.handlers.accounting(ctx);
      case Code.StatusServer:
        // RFC 5997 §3: Access-Accept on the authentication port, Accounting-Response on the accounting port.
        return { code: ctx.role === 'auth' ? Code.AccessAccept : Code.AccountingResponse, attributes: [] };
      default:
        return null;
    }
  }

  private respond(listener: Listener, ctx: Request, entry: CacheEntry | null, reply: Reply | null, started: number): void {
    const { packet, source, client } = ctx;
    if (!reply) {
      listener.cache.abandon(entry);
      return;
    }
    const answersAccess = packet.code === Code.AccessRequest || packet.code === Code.StatusServer;
    // RFC 2865 §5.33: every Proxy-State is copied to the reply, unmodified and in order.
    const proxyStates = hasAttribute(packet, Attr.ProxyState) ? findAttributes(packet, Attr.ProxyState) : undefined;
    let bytes: Buffer;
    try {
      bytes = encodeReply(reply.code, packet.identifier, packet.authenticator, reply.attributes, client.secret, { messageAuthenticator: answersAccess }, proxyStates);
    } catch (err) {
      this.failed(listener, ctx, entry, err);
      return;
    }
    listener.cache.complete(entry, bytes);
    listener.socket.send(bytes, source.port, source.address);
    client.counters.response(reply.code);
    observeDuration(packet.code, (performance.now() - started) / 1000);
  }

  private failed(listener: Listener, ctx: Request, entry: CacheEntry | null, err: unknown): void {
    listener.cache.abandon(entry);
    this.drop(DropReason.HandlerError);
    this.log.error({ err, nas: ctx.client.name, id: ctx.packet.identifier, code: codeName(ctx.packet.code) }, 'request failed; no reply sent');
  }

  private unknownClient(address: string, port: number): void {
    this.drop(DropReason.UnknownClient);
    const suppressed = this.inputLog.admit(address);
    if (suppressed < 0) return;
    this.log.warn(
      suppressed > 0 ? { address, port, suppressed } : { address, port },
      'packet from unknown client dropped (further ones from this address are counted, not logged, for a while)',
    );
  }

  /**
   * A warning about RADIUS input from a known client (malformed, failing authentication, unusable content):
   * logged once per interval for each client and reason (`suppressed` says how many were left out since), every
   * event at debug level. The caller counts the drop.
   */
  inputProblem(nas: string, reason: string, fields: Record<string, unknown>, message: string): void {
    const suppressed = this.inputLog.admit(`${nas}\u0000${reason}`);
    if (suppressed >= 0) {
      this.log.warn({ nas, reason, ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, `${message} (further ones for this reason are counted, not logged, for a while)`);
    } else if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ nas, reason, ...fields }, message);
    }
  }

  /**
   * Drain: stop taking new requests, wait for those in flight (up to `timeoutMs`) so their replies go out,
   * then close the sockets.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
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

