/**
 * RADIUS over a stream: RadSec (RFC 6614, TLS with mutual certificates) and RADIUS/TCP (RFC 6613). One connection
 * carries every kind of request (Access-Request, Accounting-Request, Status-Server); packets are framed by their
 * Length field, each goes through the request path every listener shares (request-path.ts), and its reply goes
 * back on the same connection.
 *
 * A connection is admitted only from a clients entry's address (looked up on arrival, before any TLS work), within
 * radius.*.maxConnectionsPerClient per address; RadSec also needs a certificate chaining to caFile (TLS checks it)
 * and, when the entry has tlsName, carrying that name. A Length below 20 or above 4096 loses the framing: the
 * connection is closed. A connection with maxInFlightPerConnection requests being processed is not read until one
 * finishes (TCP flow control pushes back on the NAS; nothing is dropped). Idle connections are closed. Every refusal
 * and close is counted by transport and reason; packets dropped inside a connection are counted like UDP's.
 *
 * There is no reply cache: a stream delivers each request once, and a NAS retransmits only on a new connection
 * (RFC 6613 §2.6.1), by then with its own new Identifier space. A second request with the Identifier of one still
 * in progress on the same connection is dropped as a duplicate.
 *
 * Dynamic authorization goes the other way on the same connection (RFC 6614 §2.5): the server is a NasStreamLinks
 * (domain/ports.ts), so the CoA client can write CoA and Disconnect requests to a NAS that keeps a connection open;
 * a packet arriving with an answering code (CoA-ACK/NAK, Disconnect-ACK/NAK) is the NAS's reply to one of those and
 * goes to the link's receiver, which verifies it, instead of the request path.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import type { NasStreamLink, NasStreamLinks } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import { coaRepliesDropped, countDrop, DropReason, inFlight, streamClosed, streamConnections, streamOpen, Tally } from '../observability/metrics.js';
import { Code } from '../radius/codes.js';
import type { HandlerResult, Reply } from '../radius/handler.js';
import type { NasClient, NasTable } from './nas-table.js';
import { Request, streamRole, type RequestPath } from './request-path.js';
import { certificateMatchesName } from './tls-identity.js';
import { observeDuration } from './udp-server.js';

export type StreamTransport = 'radsec' | 'tcp';

export interface StreamTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

export interface StreamServerOptions {
  readonly transport: StreamTransport;
  readonly listen: readonly string[];
  readonly port: number;
  readonly idleTimeoutSeconds: number;
  readonly maxInFlightPerConnection: number;
  readonly maxConnectionsPerClient: number;
  /** RadSec only: the server certificate, its key and the CA of the NAS certificates. */
  readonly tls?: StreamTlsFiles | undefined;
}

/** RFC 2865 §3: a packet is 20 to 4096 octets; a Length outside that cannot be a packet boundary. */
const MIN_LENGTH = 20;
const MAX_LENGTH = 4096;

type CloseReason = 'peer' | 'idle' | 'bad_length' | 'error' | 'shutdown' | 'unknown_client';
type Refusal = 'unknown_client' | 'too_many_connections' | 'tls_handshake' | 'certificate_name' | 'shutting_down';

/** The TLS settings of RadSec from the files (read now; a SIGHUP reads them again). */
export function secureContextOptions(files: StreamTlsFiles): tls.SecureContextOptions {
  const read = (key: keyof StreamTlsFiles): Buffer => {
    try {
      return readFileSync(files[key]);
    } catch (err) {
      throw new Error(`radius.radsec.${key}: cannot read ${files[key]}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { cert: read('certFile'), key: read('keyFile'), ca: read('caFile'), minVersion: 'TLSv1.2' };
}

/** Codes that answer a dynamic authorization request (RFC 5176 §2.1): on a stream, replies to Tollgate's requests. */
const ANSWERS = new Set<number>([Code.CoAACK, Code.CoANAK, Code.DisconnectACK, Code.DisconnectNAK]);

class Connection {
  /** The CoA client's receiver of the NAS's answers on this connection (see NasStreamLink), once it wrote a request. */
  replyReceiver: ((packet: Buffer) => void) | undefined;
  closeListeners: (() => void)[] = [];
  link: NasStreamLink | undefined;
  /** Octets of a packet not complete yet (at most one packet's worth). */
  pending: Buffer | null = null;
  inflight = 0;
  /** Identifiers of the requests in progress: a repeat while one is in progress is a duplicate. */
  readonly ids = new Set<number>();
  closed = false;
  paused = false;
  constructor(
    readonly socket: net.Socket,
    readonly address: string,
    readonly port: number,
  ) {}
}

export class StreamServer implements NasStreamLinks {
  private readonly servers: net.Server[] = [];
  /** Admitted connections by the NAS's address, oldest first: where CoA goes (the newest). */
  private readonly byAddress = new Map<string, Connection[]>();
  private readonly unsolicited = Tally.of(coaRepliesDropped, 'unsolicited', 'radsec');
  /**
   * RadSec: the TLS side, fed the TCP connections the listeners admitted (it listens on nothing itself), so an
   * address refused on arrival never reaches TLS and is not counted as a failed handshake.
   */
  private readonly tls: tls.Server | null;
  private readonly connections = new Set<Connection>();
  /** Sockets open per client address, counted from arrival (before TLS) so a flood of handshakes is bounded too. */
  private readonly perAddress = new Map<string, number>();
  private inflight = 0;
  private draining = false;
  private drained: (() => void) | null = null;
  private boundPort = 0;
  private readonly open;

  constructor(
    private nas: NasTable,
    private readonly path: RequestPath,
    private readonly options: StreamServerOptions,
    private readonly log: Logger,
  ) {
    if (options.transport === 'radsec' && !options.tls) throw new Error('RadSec needs radius.radsec.certFile, keyFile and caFile');
    this.tls = options.tls ? this.tlsServer(options.tls) : null;
    this.open = streamOpen.labels(options.transport);
    this.open.set(0);
  }

  /** Replaces the client table (SIGHUP, API change); connections already admitted stay open. */
  setNasTable(nas: NasTable): void {
    this.nas = nas;
  }

  /**
   * The newest open connection from this address whose client entry is still in the table, as a link for CoA
   * (RFC 6614 §2.5); undefined when there is none or the server is draining.
   */
  linkTo(address: string): NasStreamLink | undefined {
    if (this.draining) return undefined;
    const conns = this.byAddress.get(address);
    const conn = conns?.[conns.length - 1];
    if (!conn || conn.closed) return undefined;
    const client = this.clientOf(conn.socket);
    if (!client) return undefined;
    return (conn.link ??= this.linkOf(conn, client.secret));
  }

  private linkOf(conn: Connection, admitted: Buffer): NasStreamLink {
    const clientOf = (socket: net.Socket): NasClient | undefined => this.clientOf(socket);
    return {
      // The client entry's secret now (a reload may have changed radsecSecret), else the one it had.
      get secret() {
        return clientOf(conn.socket)?.secret ?? admitted;
      },
      write: (packet) => {
        if (conn.closed || !conn.socket.writable) return false;
        conn.socket.write(packet);
        return true;
      },
      onReply: (receiver) => {
        conn.replyReceiver = receiver;
      },
      onClose: (listener) => {
        if (conn.closed) listener();
        else conn.closeListeners.push(listener);
      },
    };
  }

  /** The bound port (the first address's, which every address shares). */
  port(): number {
    return this.boundPort;
  }

  /**
   * Reads the certificate, key and CA files again and uses them for new handshakes; established connections keep
   * theirs. Throws (and changes nothing) when a file cannot be read or does not hold PEM TLS can use.
   */
  reloadCertificates(files: StreamTlsFiles): void {
    const context = secureContextOptions(files);
    tls.createSecureContext(context); // throws on a bad certificate or key before any server takes it
    this.tls?.setSecureContext(context);
  }

  async start(): Promise<void> {
    let port = this.options.port;
    for (const address of this.options.listen) {
      const bound = await this.bind(address, port).catch(async (err: NodeJS.ErrnoException) => {
        if (address === '::' && (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL')) {
          this.log.warn({ address, err: err.message }, 'IPv6 is not available here; listening on IPv4 only');
          return null;
        }
        // Nothing half-bound is left behind: the addresses already listening are closed again.
        await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
        this.servers.length = 0;
        throw err;
      });
      if (bound !== null && port === 0) port = bound;
      if (bound !== null && this.boundPort === 0) this.boundPort = bound;
    }
  }

  private bind(address: string, port: number): Promise<number> {
    const server = net.createServer((socket) => {
      if (!this.arrived(socket)) return;
      if (this.tls) this.tls.emit('connection', socket);
      else this.admit(socket);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port, ipv6Only: address.includes(':') }, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.error({ err, address, transport: this.options.transport }, 'stream listener error'));
        this.servers.push(server);
        const bound = (server.address() as net.AddressInfo).port;
        this.log.info({ transport: this.options.transport, address, port: bound }, 'RADIUS stream listener ready');
        resolve(bound);
      });
    });
  }

  private tlsServer(files: StreamTlsFiles): tls.Server {
    const server = tls.createServer({
      ...secureContextOptions(files),
      requestCert: true,
      rejectUnauthorized: true,
      handshakeTimeout: Math.min(10_000, this.options.idleTimeoutSeconds * 1000),
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      const client = this.clientOf(socket);
      if (!client) return this.refuse(socket, 'unknown_client');
      if (client.tlsName !== undefined && !certificateMatchesName(socket.getPeerCertificate(), client.tlsName)) {
        this.path.inputProblem(client.name, 'certificate_name', { address: socket.remoteAddress, tlsName: client.tlsName }, 'RadSec certificate does not name the client; connection refused');
        return this.refuse(socket, 'certificate_name');
      }
      this.admit(socket);
    });
    server.on('tlsClientError', (err: Error & { code?: string }, socket: tls.TLSSocket) => {
      streamConnections.labels(this.options.transport, 'tls_handshake').inc();
      const client = this.clientOf(socket);
      this.path.inputProblem(client?.name ?? String(socket.remoteAddress), 'tls_handshake', { address: socket.remoteAddress, code: err.code, err: err.message }, 'RadSec handshake refused');
      socket.destroy();
    });
    return server;
  }

  private clientOf(socket: net.Socket): NasClient | undefined {
    const client = this.nas.lookup(socket.remoteAddress ?? '');
    return client && this.options.transport === 'radsec' ? client.radsec : client;
  }

  private refuse(socket: net.Socket, why: Refusal): void {
    streamConnections.labels(this.options.transport, why).inc();
    socket.destroy();
  }

  /** A TCP connection arrived: admitted for TLS (or RADIUS) unless the address is unknown or over its limit. */
  private arrived(socket: net.Socket): boolean {
    const address = socket.remoteAddress ?? '';
    if (this.draining) {
      this.refuse(socket, 'shutting_down');
      return false;
    }
    if (!this.nas.lookup(address)) {
      this.path.unknownClient(address, socket.remotePort ?? 0, 'connection');
      this.refuse(socket, 'unknown_client');
      return false;
    }
    const open = this.perAddress.get(address) ?? 0;
    if (open >= this.options.maxConnectionsPerClient) {
      this.refuse(socket, 'too_many_connections');
      return false;
    }
    this.perAddress.set(address, open + 1);
    socket.once('close', () => {
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    });
    // A refused handshake may come with a reset; it is counted, not an error of the process.
    socket.on('error', () => undefined);
    return true;
  }

  private admit(socket: net.Socket): void {
    const conn = new Connection(socket, socket.remoteAddress ?? '', socket.remotePort ?? 0);
    streamConnections.labels(this.options.transport, 'accepted').inc();
    this.connections.add(conn);
    const same = this.byAddress.get(conn.address);
    if (same) same.push(conn);
    else this.byAddress.set(conn.address, [conn]);
    this.open.inc();
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutSeconds * 1000);
    socket.on('timeout', () => {
      if (conn.inflight === 0) this.close(conn, 'idle');
    });
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err) => {
      if (!conn.closed) this.log.debug({ err: err.message, address: conn.address, transport: this.options.transport }, 'stream connection error');
      this.close(conn, 'error');
    });
    socket.on('close', () => this.close(conn, 'peer'));
  }

  private close(conn: Connection, reason: CloseReason): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.pending = null;
    streamClosed.labels(this.options.transport, reason).inc();
    this.connections.delete(conn);
    const same = this.byAddress.get(conn.address)?.filter((c) => c !== conn) ?? [];
    if (same.length > 0) this.byAddress.set(conn.address, same);
    else this.byAddress.delete(conn.address);
    this.open.dec();
    if (reason === 'shutdown') conn.socket.end();
    else conn.socket.destroy();
    // The CoA requests waiting on this connection learn at once that their answer cannot come on it.
    const listeners = conn.closeListeners;
    conn.closeListeners = [];
    conn.replyReceiver = undefined;
    for (const listener of listeners) listener();
  }

  private onData(conn: Connection, chunk: Buffer): void {
    conn.pending = conn.pending ? Buffer.concat([conn.pending, chunk]) : chunk;
    this.pump(conn);
  }

  /** Frames and handles the packets buffered, until one is incomplete or the connection has its in-flight limit. */
  private pump(conn: Connection): void {
    const buf = conn.pending;
    if (!buf) return;
    let off = 0;
    while (!conn.closed && buf.length - off >= 4) {
      if (conn.inflight >= this.options.maxInFlightPerConnection) {
        if (!conn.paused) {
          conn.paused = true;
          conn.socket.pause();
        }
        break;
      }
      const length = buf.readUInt16BE(off + 2);
      if (length < MIN_LENGTH || length > MAX_LENGTH) {
        countDrop(DropReason.Malformed);
        const client = this.clientOf(conn.socket);
        this.path.inputProblem(client?.name ?? conn.address, DropReason.Malformed, { address: conn.address, length, transport: this.options.transport }, 'Length field outside 20..4096 on a stream; connection closed');
        this.close(conn, 'bad_length');
        return;
      }
      if (buf.length - off < length) break;
      const packet = buf.subarray(off, off + length);
      off += length;
      this.onPacket(conn, packet);
    }
    if (conn.closed) return;
    // The rest is less than one packet: copied, so the chunk it came in is not kept alive for it.
    conn.pending = off === 0 ? buf : off < buf.length ? Buffer.from(buf.subarray(off)) : null;
  }

  private onPacket(conn: Connection, msg: Buffer): void {
    // The NAS answering a CoA or Disconnect request of ours (also while draining: the CoA client stops later).
    // RADIUS/TCP carries no CoA (app/radius.ts gives the CoA client RadSec's links only): there it is a bad code.
    if (this.options.transport === 'radsec' && ANSWERS.has(msg[0] as number)) {
      const receiver = conn.replyReceiver;
      if (receiver) receiver(Buffer.from(msg));
      else this.unsolicited.inc();
      return;
    }
    if (this.draining) return countDrop(DropReason.ShuttingDown);
    const client = this.clientOf(conn.socket);
    if (!client) {
      // The entry was removed since the connection was admitted.
      this.path.unknownClient(conn.address, conn.port);
      return this.close(conn, 'unknown_client');
    }
    const started = performance.now();
    const role = streamRole(msg);
    const packet = this.path.verify(client, msg, role, conn.address, conn.port);
    if (!packet) return;
    if (conn.ids.has(packet.identifier)) {
      this.path.trace?.dropped(client, msg, packet, conn.address, conn.port, DropReason.DuplicateInProgress);
      return countDrop(DropReason.DuplicateInProgress);
    }
    const ctx = new Request(client, packet, { address: conn.address, port: conn.port }, role, this.path);
    let result: HandlerResult;
    try {
      result = this.path.dispatch(ctx);
    } catch (err) {
      this.path.failed(ctx, err);
      return;
    }
    if (!(result instanceof Promise)) return this.respond(conn, ctx, result, started);
    conn.ids.add(packet.identifier);
    conn.inflight++;
    this.inflight++;
    inFlight.inc();
    result
      .then(
        (reply) => this.respond(conn, ctx, reply, started),
        (err: unknown) => this.path.failed(ctx, err),
      )
      .finally(() => {
        conn.ids.delete(packet.identifier);
        conn.inflight--;
        this.inflight--;
        inFlight.dec();
        if (this.inflight === 0 && this.drained) this.drained();
        if (conn.paused && !conn.closed && conn.inflight < this.options.maxInFlightPerConnection) {
          conn.paused = false;
          conn.socket.resume();
          this.pump(conn);
        }
      });
  }

  private respond(conn: Connection, ctx: Request, reply: Reply | null, started: number): void {
    if (!reply) return;
    const bytes = this.path.encode(ctx, reply);
    if (!bytes || conn.closed || !conn.socket.writable) return;
    conn.socket.write(bytes);
    ctx.client.counters.response(reply.code);
    observeDuration(ctx.packet.code, (performance.now() - started) / 1000);
  }

  /**
   * Drain: stop accepting connections and requests, wait for those in flight (up to `timeoutMs`) so their replies
   * go out on their connections, then close every connection (the replies written are flushed first).
   */
  async stop(timeoutMs: number): Promise<void> {
    this.draining = true;
    for (const s of this.servers) s.close();
    if (this.inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.inflight > 0) this.log.warn({ inflight: this.inflight, transport: this.options.transport }, 'drain timed out; closing with requests in flight');
    }
    const sockets = [...this.connections].map((c) => c.socket);
    for (const c of [...this.connections]) this.close(c, 'shutdown');
    // end() sends what was written, then FIN; a peer that does not close its side within a moment is cut off.
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.destroyed) return resolve();
            const timer = setTimeout(() => {
              s.destroy();
              resolve();
            }, 250);
            s.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    this.servers.length = 0;
  }
}
