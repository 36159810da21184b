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
import { Attr, Code, codeName } from '../radius/codes.js';
import { encodeReply, verifyMessageAuthenticator, verifyRequestAuthenticator } from '../radius/crypto.js';
import { RadiusError, type RadiusErrorCode } from '../radius/errors.js';
import { findAttributes, hasAttribute, parsePacket, type RawAttribute, type RawPacket } from '../radius/packet.js';
import type { NasClient, NasTable } from './nas-table.js';
import { ReplyCache, type CacheEntry } from './reply-cache.js';

export type PortRole = 'auth' | 'acct';

export interface RequestContext {
  readonly client: NasClient;
  readonly packet: RawPacket;
  readonly source: { readonly address: string; readonly port: number };
  readonly role: PortRole;
}

/** What a handler answers: a reply to sign and send, or null to send nothing (the NAS will retransmit). */
export interface Reply {
  readonly code: number;
  readonly attributes: readonly RawAttribute[];
}
export type HandlerResult = Reply | null | Promise<Reply | null>;

export interface Handlers {
  access(ctx: RequestContext): HandlerResult;
  accounting(ctx: RequestContext): HandlerResult;
}

export interface UdpServerOptions {
  readonly listen: readonly string[];
  readonly authPort: number;
  readonly acctPort: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly replyCacheSeconds: number;
  readonly unknownClientLogIntervalSeconds: number;
  /** Share sockets with node:cluster siblings (each worker reads the same socket). */
  readonly shared: boolean;
}

const DROP_FOR_ERROR: Partial<Record<RadiusErrorCode, DropReasonValue>> = {
  RADIUS_BAD_MESSAGE_AUTHENTICATOR: DropReason.BadMessageAuthenticator,
  RADIUS_DUPLICATE_MESSAGE_AUTHENTICATOR: DropReason.BadMessageAuthenticator,
};

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
  private readonly unknownLogged = new Map<string, number>();
  private inflight = 0;
  private draining = false;
  private drained: (() => void) | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private nas: NasTable,
    private readonly handlers: Handlers,
    private readonly options: UdpServerOptions,
    private readonly log: Logger,
  ) {}

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
      this.drop((code && DROP_FOR_ERROR[code]) || DropReason.Malformed);
      if (this.log.isLevelEnabled('debug')) this.log.debug({ nas: client.name, address, err: (err as Error).message }, 'malformed packet dropped');
      return;
    }
    const reason = this.checkAuthenticity(listener.role, client, packet);
    if (reason) {
      this.drop(reason);
      if (this.log.isLevelEnabled('debug')) this.log.debug({ nas: client.name, address, id: packet.identifier, reason }, 'packet dropped');
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
    const ctx: RequestContext = { client, packet, source: { address, port }, role: listener.role };
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

  /** Fail closed: every check that can be made before an attribute is trusted. Returns a drop reason or null. */
  private checkAuthenticity(role: PortRole, client: NasClient, packet: RawPacket): DropReasonValue | null {
    const code = packet.code;
    if (code === Code.AccessRequest || code === Code.StatusServer) {
      if (code === Code.AccessRequest && role !== 'auth') return DropReason.UnexpectedCode;
      const hasEap = hasAttribute(packet, Attr.EAPMessage);
      const hasPassword = hasEap && (hasAttribute(packet, Attr.UserPassword) || hasAttribute(packet, Attr.CHAPPassword));
      const hasProxyState = hasAttribute(packet, Attr.ProxyState);
      if (hasEap && hasPassword) return DropReason.EapWithPassword;
      if (packet.messageAuthenticatorOffset < 0) {
        // RFC 5997 and RFC 3579 require it on Status-Server and with EAP whatever the client setting.
        if (code === Code.StatusServer || hasEap || client.requireMessageAuthenticator) return DropReason.MissingMessageAuthenticator;
        if (hasProxyState && client.limitProxyState) return DropReason.ProxyStateWithoutMA;
        return null;
      }
      return verifyMessageAuthenticator(packet, client.secret, null) ? null : DropReason.BadMessageAuthenticator;
    }
    if (code === Code.AccountingRequest) {
      if (role !== 'acct') return DropReason.UnexpectedCode;
      if (!verifyRequestAuthenticator(packet, client.secret)) return DropReason.BadAuthenticator;
      if (packet.messageAuthenticatorOffset >= 0 && !verifyMessageAuthenticator(packet, client.secret, ZERO16)) {
        return DropReason.BadMessageAuthenticator;
      }
      return null;
    }
    return DropReason.UnexpectedCode;
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

  private respond(listener: Listener, ctx: RequestContext, entry: CacheEntry | null, reply: Reply | null, started: number): void {
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
    if (entry) entry.reply = bytes;
    listener.socket.send(bytes, source.port, source.address);
    client.counters.response(reply.code);
    observeDuration(packet.code, (performance.now() - started) / 1000);
  }

  private failed(listener: Listener, ctx: RequestContext, entry: CacheEntry | null, err: unknown): void {
    listener.cache.abandon(entry);
    this.drop(DropReason.HandlerError);
    this.log.error({ err, nas: ctx.client.name, id: ctx.packet.identifier, code: codeName(ctx.packet.code) }, 'request failed; no reply sent');
  }

  private unknownClient(address: string, port: number): void {
    this.drop(DropReason.UnknownClient);
    const now = Date.now();
    const last = this.unknownLogged.get(address);
    if (last !== undefined && now - last < this.options.unknownClientLogIntervalSeconds * 1000) return;
    if (this.unknownLogged.size > 10_000) this.unknownLogged.clear();
    this.unknownLogged.set(address, now);
    this.log.warn({ address, port }, 'packet from unknown client dropped (further ones from this address are counted, not logged, for a while)');
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

const ZERO16 = Buffer.alloc(16);
