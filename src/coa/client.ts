/**
 * RFC 5176 client: sends CoA-Request and Disconnect-Request to a NAS and waits for its ACK or NAK.
 *
 * Each send builds one packet (computed Request Authenticator, Message-Authenticator first) under an Identifier
 * that stays reserved for that NAS until the outcome, and retransmits exactly those bytes on the backoff of
 * backoff.ts. A datagram counts as the reply only when it comes from the NAS's address and CoA port, carries an
 * outstanding Identifier and an answering code, and its Response Authenticator (and Message-Authenticator, when
 * present) verify in constant time against the request; anything else is dropped and counted, never thrown.
 * Every outcome is counted and, with `audit`, written to `coa_audit` (a failed write is logged).
 *
 * Over RadSec (RFC 6614 §2.5): when the NAS keeps a RadSec connection open to this process (setStreamLinks), the
 * request goes down that connection instead, under the connection's secret (`radsec` or the client's radsecSecret)
 * and an Identifier space of its own, and is sent once: a stream does not lose packets, so there is no
 * retransmission on it (RFC 6613 §2.6). Its answer comes back on the connection and is verified exactly as a
 * datagram is. Should the connection close before the answer, the request is sent again over UDP (counted in
 * tollgate_coa_radsec_fallbacks_total); a NAS that keeps it open but does not answer times out after
 * retry.maxDurationMs. A NAS without an open connection gets UDP as before. With cluster workers the connection
 * may be held by another process: a CoaRelay (setRelay, relay.ts) has that process send the request instead.
 *
 * stop() never waits on a NAS: requests still retransmitting, or still waiting for an Identifier, give up at
 * once; each is counted and audited as `aborted` (with the transmissions made, 0 when it never went out) and its
 * send() rejects with CoaStoppedError, so the caller can leave the work to the next instance or start.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger.js';
import { coaRadsecFallbacks, coaRepliesDropped, coaRequests, coaRetransmissions, coaRtt, Tally } from '../observability/metrics.js';
import { Attr, Code } from '../radius/codes.js';
import { octetsToText } from '../radius/octets.js';
import { encodeRequest, verifyMessageAuthenticator, verifyResponseAuthenticator } from '../radius/crypto.js';
import { findAttribute, parsePacket, type RawAttribute, type RawPacket } from '../radius/packet.js';
import type { CoaAuditRow, CoaRepository, CoaTransport, NasStreamLink, NasStreamLinks } from '../domain/ports.js';
import { checkRetryPolicy, DEFAULT_RETRY, shouldRetransmit, waitAfter, type RetryPolicy } from './backoff.js';
import { IdentifierPool } from './identifiers.js';
import type { CoaRelay } from './relay.js';

export type CoaKind = 'coa' | 'disconnect';
export type CoaResult = 'ack' | 'nak' | 'timeout';

/** Where to send: the NAS's name (logs, audit), address (an IP, not a CIDR), shared secret and CoA port. */
export interface CoaNas {
  readonly name: string;
  readonly address: string;
  readonly secret: Buffer;
  readonly coaPort: number;
}

export interface CoaRequest {
  readonly nas: CoaNas;
  readonly kind: CoaKind;
  /** Session identity (User-Name, Acct-Session-Id, Framed-IP-Address) and the action's attributes. */
  readonly attributes: readonly RawAttribute[];
  /** For the audit; defaults to the User-Name attribute. */
  readonly username?: string | undefined;
  /** `sessions.id` of the target session, for the audit. */
  readonly sessionId?: number | null | undefined;
  /** What the request is for ('restrict', 'restore', 'disconnect' …), for the audit and logs. */
  readonly action: string;
}

export interface CoaOutcome {
  readonly result: CoaResult;
  /** Error-Cause (RFC 5176 §3.5) of a NAK, when it carried one. */
  readonly errorCause?: number;
  /** Transmissions made (1 + retransmissions). */
  readonly attempts: number;
  /** Milliseconds from the first transmission to the verified reply (absent on timeout). */
  readonly rttMs?: number;
  /** What carried the request that had this outcome. */
  readonly transport: CoaTransport;
}

export interface CoaClientOptions {
  /** Where to write `coa_audit` rows (`store.coa`); no audit without it. */
  readonly audit?: Pick<CoaRepository, 'audit'> | undefined;
  readonly log: Logger;
  readonly retry?: RetryPolicy | undefined;
  /** Local address of the socket (default 0.0.0.0; an IPv6 NAS gets a second socket on ::). */
  readonly bindAddress?: string | undefined;
}

/** Reasons of tollgate_coa_replies_dropped_total. */
export const CoaDropReason = {
  Malformed: 'malformed',
  Unsolicited: 'unsolicited',
  UnexpectedCode: 'unexpected_code',
  BadAuthenticator: 'bad_authenticator',
  BadMessageAuthenticator: 'bad_message_authenticator',
} as const;
type CoaDropReasonValue = (typeof CoaDropReason)[keyof typeof CoaDropReason];

const TRANSPORTS: readonly CoaTransport[] = ['udp', 'radsec'];
const dropTallies = new Map<string, Tally>(
  TRANSPORTS.flatMap((t) => Object.values(CoaDropReason).map((r): [string, Tally] => [`${r}|${t}`, Tally.of(coaRepliesDropped, r, t)])),
);
const retransmissions = Tally.of(coaRetransmissions);

/** Request code and the codes that answer it, per kind (RFC 5176 §2.1). */
const CODES: Readonly<Record<CoaKind, { readonly request: number; readonly ack: number; readonly nak: number }>> = {
  coa: { request: Code.CoARequest, ack: Code.CoAACK, nak: Code.CoANAK },
  disconnect: { request: Code.DisconnectRequest, ack: Code.DisconnectACK, nak: Code.DisconnectNAK },
};

type Family = 'udp4' | 'udp6';

/** Why send() rejected: the client was stopped, before this request had its outcome or before it was sent. */
export class CoaStoppedError extends Error {
  override readonly name = 'CoaStoppedError';
  constructor(
    message: string,
    /** Transmissions made before the stop (0: the request never went out). */
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** What a pending request settles with when stop() gives it up. */
const ABORTED = Symbol('aborted');
/** What a request on a RadSec connection settles with when the connection closed before the answer. */
const LINK_CLOSED = Symbol('link closed');

/** Where a request goes: the UDP socket to the NAS's CoA port, or the NAS's RadSec connection. */
type Channel = { readonly transport: 'udp'; readonly socket: dgram.Socket; readonly address: string } | { readonly transport: 'radsec'; readonly link: NasStreamLink };

interface Pending {
  readonly req: CoaRequest;
  readonly identifier: number;
  readonly bytes: Buffer;
  /** Copy of the Request Authenticator the reply is verified against. */
  readonly requestAuthenticator: Buffer;
  /** The secret the request was signed with, and its reply is verified with. */
  readonly secret: Buffer;
  readonly channel: Channel;
  readonly startedAt: Date;
  readonly firstSentAt: number;
  tries: number;
  /** Nominal ms since the first transmission, by the schedule (not the clock, so the schedule is exact). */
  elapsedMs: number;
  timer: NodeJS.Timeout | undefined;
  readonly settle: (reply: Settled) => void;
}

type Settled = RawPacket | null | typeof ABORTED | typeof LINK_CLOSED;

/** One NAS CoA endpoint (address and port, or one RadSec connection): its Identifier space and the requests outstanding by Identifier. */
interface Peer {
  readonly ids: IdentifierPool;
  readonly pending: Map<number, Pending>;
}

/** Canonical text of an address, as rinfo reports it (IPv6 compressed and lower case). */
function canonicalAddress(address: string): string {
  return isIPv6(address) ? new URL(`udp://[${address}]`).hostname.slice(1, -1) : address;
}

function peerKey(address: string, port: number): string {
  return `${address}|${port}`;
}

function attributeText(attributes: readonly RawAttribute[], type: number): string | null {
  const a = attributes.find((x) => x.type === type);
  return a ? octetsToText(a.value) : null;
}

export class CoaClient {
  private readonly retry: RetryPolicy;
  private readonly sockets = new Map<Family, Promise<dgram.Socket>>();
  private readonly peers = new Map<string, Peer>();
  /** Peers of RadSec connections, while the connection is open. */
  private readonly linkPeers = new Map<NasStreamLink, Peer>();
  private links: NasStreamLinks | null = null;
  private relay: CoaRelay | null = null;
  /** Requests waiting on another process (the relay): stop() gives them up at once. */
  private readonly relayWaiters = new Set<() => void>();
  private readonly inflight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly options: CoaClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    const problems = checkRetryPolicy(this.retry);
    if (problems.length > 0) throw new Error(`invalid CoA retry policy: ${problems.join('; ')}`);
  }

  /** Binds the socket of the bind address's family (port 0); the other family's is bound on first use. */
  async start(): Promise<void> {
    const address = this.options.bindAddress ?? '0.0.0.0';
    await this.socket(isIPv6(address) ? 'udp6' : 'udp4');
  }

  /**
   * The RadSec connections of this process's listener (app/radius.ts wires them): a NAS with one open gets its
   * requests on it. null: UDP only.
   */
  setStreamLinks(links: NasStreamLinks | null): void {
    this.links = links;
  }

  /** Another process holding RadSec connections (cluster workers, app/cluster-coa.ts); null: this process only. */
  setRelay(relay: CoaRelay | null): void {
    this.relay = relay;
  }

  /** Whether this process holds an open RadSec connection from the NAS at `address` (the relay asks). */
  holdsLink(address: string): boolean {
    return this.links?.linkTo(canonicalAddress(address)) !== undefined;
  }

  /** The local port of a bound socket (tests, logs). */
  async localPort(family: Family = 'udp4'): Promise<number | undefined> {
    const s = this.sockets.get(family);
    return s ? (await s).address().port : undefined;
  }

  /**
   * Sends one request and resolves with its outcome; rejects only for a request that cannot be encoded (an
   * attribute over 253 octets, a packet over 4096), or with CoaStoppedError when stop() came first.
   *
   * @example
   * const out = await client.send({ nas, kind: 'disconnect', action: 'disconnect', attributes: [userName, acctSessionId] });
   * if (out.result === 'nak') log.warn({ errorCause: out.errorCause }, 'NAS refused');
   */
  send(req: CoaRequest): Promise<CoaOutcome> {
    return this.track(req, true);
  }

  /** send() for a request another process relayed here: it is sent from this process (its link, else UDP), never relayed on. */
  sendHere(req: CoaRequest): Promise<CoaOutcome> {
    return this.track(req, false);
  }

  private track(req: CoaRequest, mayRelay: boolean): Promise<CoaOutcome> {
    if (this.stopping) return Promise.reject(new CoaStoppedError('the CoA client is stopping', 0));
    const p = this.exchange(req, mayRelay);
    this.inflight.add(p);
    const done = (): void => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  /**
   * Stops accepting requests, gives up those in flight at once (no further retransmission; each is audited as
   * aborted), waits for their audit rows and closes the sockets.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const giveUp of this.relayWaiters) giveUp();
    for (const peer of [...this.peers.values(), ...this.linkPeers.values()]) {
      for (const p of peer.pending.values()) {
        if (p.timer) clearTimeout(p.timer);
        p.timer = undefined;
        p.settle(ABORTED);
      }
    }
    // Requests waiting for an Identifier get one as the aborted ones release theirs, see the stop, and give up.
    await Promise.allSettled([...this.inflight]);
    const sockets = await Promise.allSettled([...this.sockets.values()]);
    this.sockets.clear();
    const bound = sockets.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    await Promise.all(bound.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }

  private async exchange(req: CoaRequest, mayRelay: boolean): Promise<CoaOutcome> {
    const address = canonicalAddress(req.nas.address);
    const link = this.links?.linkTo(address);
    if (link) {
      const over = await this.attempt(req, { transport: 'radsec', link }, this.linkPeer(link));
      if (over !== LINK_CLOSED) return over;
      coaRadsecFallbacks.inc();
      this.options.log.info({ nas: req.nas.name, kind: req.kind, action: req.action }, 'RadSec connection closed before the NAS answered; sending the CoA request over UDP');
    } else if (mayRelay && this.relay) {
      const relayed = await this.relayed(this.relay, address, req);
      if (relayed) return relayed;
    }
    const socket = await this.socket(isIPv6(address) ? 'udp6' : 'udp4');
    const key = peerKey(address, req.nas.coaPort);
    const peer = this.peers.get(key) ?? { ids: new IdentifierPool(), pending: new Map<number, Pending>() };
    this.peers.set(key, peer);
    return (await this.attempt(req, { transport: 'udp', socket, address }, peer)) as CoaOutcome;
  }

  /**
   * The outcome from the process holding the NAS's RadSec connection (audited and counted there), or null when
   * there is none or it failed (UDP from here then); rejects with CoaStoppedError when stop() comes first.
   */
  private relayed(relay: CoaRelay, address: string, req: CoaRequest): Promise<CoaOutcome | null> {
    return new Promise((resolve, reject) => {
      const giveUp = (): void => reject(new CoaStoppedError('the CoA client stopped before the process holding the NAS\'s RadSec connection answered', 0));
      this.relayWaiters.add(giveUp);
      relay
        .send(address, req)
        .then(resolve, (err: unknown) => {
          this.options.log.warn({ err, nas: req.nas.name }, 'CoA relay failed; sending over UDP from here');
          resolve(null);
        })
        .finally(() => this.relayWaiters.delete(giveUp));
    });
  }

  /** The peer of a RadSec connection: its answers are matched against its requests; when it closes, they fall back. */
  private linkPeer(link: NasStreamLink): Peer {
    const known = this.linkPeers.get(link);
    if (known) return known;
    const created: Peer = { ids: new IdentifierPool(), pending: new Map() };
    this.linkPeers.set(link, created);
    link.onReply((msg) => this.onReply(created, msg, 'radsec', 'radsec'));
    link.onClose(() => {
      this.linkPeers.delete(link);
      for (const p of created.pending.values()) {
        if (p.timer) clearTimeout(p.timer);
        p.timer = undefined;
        p.settle(LINK_CLOSED);
      }
    });
    return created;
  }

  /**
   * One request on one channel, to its outcome (counted, audited); LINK_CLOSED, not audited, when it was on a
   * RadSec connection that closed first (the caller sends it over UDP then).
   */
  private async attempt(req: CoaRequest, channel: Channel, peer: Peer): Promise<CoaOutcome | typeof LINK_CLOSED> {
    const transport = channel.transport;
    const identifier = await peer.ids.acquire();
    if (this.stopping) {
      peer.ids.release(identifier);
      return this.abandon(req, new Date(), 0, transport, this.options.log.child({ nas: req.nas.name, kind: req.kind, action: req.action }));
    }
    const codes = CODES[req.kind];
    const secret = channel.transport === 'radsec' ? channel.link.secret : req.nas.secret;
    let bytes: Buffer;
    try {
      bytes = encodeRequest(codes.request, identifier, req.attributes, secret, { messageAuthenticator: true });
    } catch (err) {
      peer.ids.release(identifier);
      throw err;
    }
    const log = this.options.log.child({ nas: req.nas.name, id: identifier, kind: req.kind, action: req.action, transport });
    const reply = await new Promise<Settled>((settle) => {
      const pending: Pending = {
        req,
        identifier,
        bytes,
        requestAuthenticator: Buffer.from(bytes.subarray(4, 20)),
        secret,
        channel,
        startedAt: new Date(),
        firstSentAt: performance.now(),
        tries: 0,
        elapsedMs: 0,
        timer: undefined,
        settle,
      };
      peer.pending.set(identifier, pending);
      this.transmit(pending, log);
    });
    const pending = peer.pending.get(identifier);
    if (pending?.timer) clearTimeout(pending.timer);
    peer.pending.delete(identifier);
    peer.ids.release(identifier);
    if (reply === LINK_CLOSED) return LINK_CLOSED;
    const attempts = pending?.tries ?? 1;
    if (reply === ABORTED) return this.abandon(req, pending?.startedAt ?? new Date(), attempts, transport, log);
    const outcome = this.outcomeOf(req.kind, reply, attempts, pending?.firstSentAt ?? performance.now(), transport);
    coaRequests.labels(req.kind, outcome.result, transport).inc();
    if (outcome.rttMs !== undefined) coaRtt.observe(outcome.rttMs / 1000);
    if (outcome.result === 'ack') log.info({ attempts, rttMs: outcome.rttMs }, 'CoA request acknowledged');
    else log.warn({ result: outcome.result, errorCause: outcome.errorCause, attempts }, 'CoA request not acknowledged');
    await this.audit(req, pending?.startedAt ?? new Date(), { result: outcome.result, attempts, errorCause: outcome.errorCause ?? null, rttMs: outcome.rttMs ?? null, transport }, log);
    return outcome;
  }

  /** A request stop() gave up (`attempts` 0: it never went out): counted, audited as aborted, rejected. */
  private async abandon(req: CoaRequest, at: Date, attempts: number, transport: CoaTransport, log: Logger): Promise<never> {
    coaRequests.labels(req.kind, 'aborted', transport).inc();
    log.warn({ attempts }, attempts === 0 ? 'CoA request not sent: the client is stopping' : 'CoA request given up: the client is stopping');
    await this.audit(req, at, { result: 'aborted', attempts, errorCause: null, rttMs: null, transport }, log);
    throw new CoaStoppedError(
      attempts === 0 ? 'the CoA client stopped before the request was sent' : `the CoA client stopped before the NAS answered (${attempts} attempt${attempts === 1 ? '' : 's'})`,
      attempts,
    );
  }

  private outcomeOf(kind: CoaKind, reply: RawPacket | null, attempts: number, firstSentAt: number, transport: CoaTransport): CoaOutcome {
    if (!reply) return { result: 'timeout', attempts, transport };
    const rttMs = Math.max(0, Math.round(performance.now() - firstSentAt));
    if (reply.code === CODES[kind].ack) return { result: 'ack', attempts, rttMs, transport };
    const cause = findAttribute(reply, Attr.ErrorCause);
    return cause && cause.value.length === 4
      ? { result: 'nak', errorCause: cause.value.readUInt32BE(0), attempts, rttMs, transport }
      : { result: 'nak', attempts, rttMs, transport };
  }

  /**
   * Sends the request's bytes (the same every time) and arms the wait for a reply. On a RadSec connection it is
   * sent once and waited for retry.maxDurationMs; a connection that cannot take it settles it as closed at once.
   */
  private transmit(p: Pending, log: Logger): void {
    p.tries++;
    const channel = p.channel;
    if (channel.transport === 'radsec') {
      if (!channel.link.write(p.bytes)) return p.settle(LINK_CLOSED);
      p.timer = setTimeout(() => p.settle(null), this.retry.maxDurationMs);
      return;
    }
    if (p.tries > 1) retransmissions.inc();
    channel.socket.send(p.bytes, p.req.nas.coaPort, channel.address, (err) => {
      // A lost send is a lost datagram: the retransmission schedule covers it.
      if (err) log.warn({ err: err.message, attempt: p.tries }, 'CoA send failed');
    });
    const wait = waitAfter(this.retry, p.tries, p.elapsedMs);
    p.timer = setTimeout(() => {
      p.elapsedMs += wait;
      if (shouldRetransmit(this.retry, p.tries, p.elapsedMs)) this.transmit(p, log);
      else p.settle(null);
    }, wait);
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.onReply(this.peers.get(peerKey(rinfo.address, rinfo.port)), msg, 'udp', `${rinfo.address}:${rinfo.port}`);
  }

  /**
   * A packet from a NAS (a datagram from its address and CoA port, or an answer on its RadSec connection): the reply
   * of an outstanding request when its Identifier, code, Response Authenticator and Message-Authenticator (when
   * present) say so, checked in constant time against that request; else dropped and counted.
   */
  private onReply(peer: Peer | undefined, msg: Buffer, transport: CoaTransport, from: string): void {
    let reply: RawPacket;
    try {
      reply = parsePacket(msg);
    } catch {
      return this.drop(CoaDropReason.Malformed, transport, from);
    }
    const p = peer?.pending.get(reply.identifier);
    if (!p) return this.drop(CoaDropReason.Unsolicited, transport, from);
    const codes = CODES[p.req.kind];
    if (reply.code !== codes.ack && reply.code !== codes.nak) return this.drop(CoaDropReason.UnexpectedCode, transport, from);
    if (!verifyResponseAuthenticator(reply, p.requestAuthenticator, p.secret)) return this.drop(CoaDropReason.BadAuthenticator, transport, from);
    if (reply.messageAuthenticatorOffset >= 0 && !verifyMessageAuthenticator(reply, p.secret, p.requestAuthenticator)) {
      return this.drop(CoaDropReason.BadMessageAuthenticator, transport, from);
    }
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    // Copy: the reply outlives this callback and `msg` may be a pooled buffer.
    p.settle(parsePacket(Buffer.from(reply.raw)));
  }

  private drop(reason: CoaDropReasonValue, transport: CoaTransport, from: string): void {
    (dropTallies.get(`${reason}|${transport}`) as Tally).inc();
    this.options.log.debug({ reason, transport, from }, 'CoA reply dropped');
  }

  private async audit(
    req: CoaRequest,
    at: Date,
    outcome: Pick<CoaAuditRow, 'result' | 'attempts' | 'errorCause' | 'rttMs' | 'transport'>,
    log: Logger,
  ): Promise<void> {
    const repo = this.options.audit;
    if (!repo) return;
    try {
      await repo.audit({
        at,
        nas: req.nas.name,
        sessionId: req.sessionId ?? null,
        acctSessionId: attributeText(req.attributes, Attr.AcctSessionId),
        username: req.username ?? attributeText(req.attributes, Attr.UserName),
        request: req.kind,
        action: req.action,
        ...outcome,
      });
    } catch (err) {
      log.error({ err }, 'coa_audit insert failed');
    }
  }

  private socket(family: Family): Promise<dgram.Socket> {
    let s = this.sockets.get(family);
    if (!s) {
      const configured = this.options.bindAddress;
      const address = configured !== undefined && isIPv6(configured) === (family === 'udp6') ? configured : family === 'udp6' ? '::' : '0.0.0.0';
      s = this.bind(family, address);
      this.sockets.set(family, s);
      // A failed bind is retried on the next use rather than cached.
      s.catch(() => this.sockets.delete(family));
    }
    return s;
  }

  private bind(family: Family, address: string): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: family, ipv6Only: family === 'udp6' });
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      // exclusive: in a cluster worker a non-exclusive bind shares one socket among all the workers, and a NAS's
      // answer could then be read by a worker that did not send the request (dropped as unsolicited).
      socket.bind({ address, port: 0, exclusive: true }, () => {
        socket.off('error', onError);
        socket.on('error', (err) => this.options.log.error({ err, address }, 'CoA socket error'));
        socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
        this.options.log.info({ address, port: socket.address().port }, 'CoA client socket ready');
        resolve(socket);
      });
    });
  }
}
