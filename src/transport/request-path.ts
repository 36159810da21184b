/**
 * What every RADIUS listener does with one request, whatever carried it (a UDP datagram, or a packet framed out
 * of a TCP or TLS stream): parse with bounds checks, verify authenticity in constant time before trusting any
 * attribute, hand the request to its handler, sign the reply (Message-Authenticator first for replies to
 * Access-Request and Status-Server). Bad packets are dropped, counted and warned about at a bounded rate per
 * client and reason; the listener sends the bytes and keeps its own duplicate detection and drain.
 *
 * While a live trace is active, `trace` is its tap (trace-tap.ts), shown each request, reply and drop; otherwise
 * it is null and that one field read is all a trace costs a request.
 */
import type { Logger } from '../observability/logger.js';
import { countDrop, DropReason, type DropReasonValue } from '../observability/metrics.js';
import { requestProblem } from '../radius/authenticity.js';
import { Attr, Code, codeName } from '../radius/codes.js';
import { encodeReply } from '../radius/crypto.js';
import { RadiusError, type RadiusErrorCode } from '../radius/errors.js';
import type { HandlerResult, Handlers, PortRole, Reply, RequestContext } from '../radius/handler.js';
import { findAttributes, hasAttribute, parsePacket, type RawPacket } from '../radius/packet.js';
import { LogLimiter } from './log-limiter.js';
import type { NasClient } from './nas-table.js';
import type { TraceTap } from './trace-tap.js';

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

/** Where the handlers' contract meets a listener: a request, and the one way its content problems are logged. */
export class Request implements RequestContext {
  constructor(
    readonly client: NasClient,
    readonly packet: RawPacket,
    readonly source: { readonly address: string; readonly port: number },
    readonly role: PortRole,
    private readonly path: RequestPath,
  ) {}
  inputProblem(reason: string, fields: Record<string, unknown>, message: string): void {
    this.path.inputProblem(this.client.name, reason, { ...fields, id: this.packet.identifier }, message);
  }
}

/**
 * The role a request plays on a connection that carries every kind (RFC 6613 §2.1, RFC 6614 §2.1): Accounting-Request
 * is accounting, anything else is authentication (so Status-Server is answered with Access-Accept, RFC 5997 §3).
 */
export function streamRole(packet: Buffer): PortRole {
  return packet[0] === Code.AccountingRequest ? 'acct' : 'auth';
}

export class RequestPath {
  /** One limiter for every warning about RADIUS input: keyed by source address (unknown clients) or client and reason. */
  private readonly inputLog: LogLimiter;
  /** The live-trace tap while a trace is active, else null (set by the tap). */
  trace: TraceTap | null = null;

  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
    logIntervalSeconds: number,
  ) {
    this.inputLog = new LogLimiter(logIntervalSeconds * 1000);
  }

  /** The packet, parsed and verified for `client` on `role`; null when it is dropped (counted, logged, traced). */
  verify(client: NasClient, msg: Buffer, role: PortRole, address: string, port: number): RawPacket | null {
    let packet: RawPacket;
    try {
      packet = parsePacket(msg);
    } catch (err) {
      const code = err instanceof RadiusError ? err.code : undefined;
      const reason = (code && DROP_FOR_ERROR[code]) || DropReason.Malformed;
      countDrop(reason);
      this.inputProblem(client.name, reason, { address, code, err: (err as Error).message }, 'malformed packet dropped');
      this.trace?.dropped(client, msg, null, address, port, reason);
      return null;
    }
    const problem = requestProblem(role, client, packet);
    // Counted by Message-Authenticator per NAS, and `auto` clients flip on their first valid one (UDP and streams).
    if (packet.code === Code.AccessRequest) client.accessRequest(packet, problem);
    if (problem) {
      const reason = DROP_FOR_ERROR[problem] ?? DropReason.Malformed;
      countDrop(reason);
      this.inputProblem(client.name, reason, { address, id: packet.identifier, code: problem }, 'packet dropped');
      this.trace?.dropped(client, msg, packet, address, port, reason);
      return null;
    }
    client.counters.request(packet.code);
    // Last seen: one clock read and a store; NasLastSeen writes it to the database at most every 30 s.
    client.lastSeenMs = Date.now();
    if (packet.emptyAttributes) client.counters.emptyAttributes.inc(packet.emptyAttributes);
    return packet;
  }

  dispatch(ctx: Request): HandlerResult {
    const trace = this.trace;
    if (trace !== null) trace.request(ctx);
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

  /** The signed reply's bytes; null when it cannot be encoded (counted and logged as a handler error). */
  encode(ctx: Request, reply: Reply): Buffer | null {
    const { packet, client } = ctx;
    const answersAccess = packet.code === Code.AccessRequest || packet.code === Code.StatusServer;
    // RFC 2865 §5.33: every Proxy-State is copied to the reply, unmodified and in order.
    const proxyStates = hasAttribute(packet, Attr.ProxyState) ? findAttributes(packet, Attr.ProxyState) : undefined;
    let bytes: Buffer;
    try {
      bytes = encodeReply(reply.code, packet.identifier, packet.authenticator, reply.attributes, client.secret, { messageAuthenticator: answersAccess }, proxyStates);
    } catch (err) {
      this.failed(ctx, err);
      return null;
    }
    const trace = this.trace;
    if (trace !== null) trace.reply(ctx, bytes);
    return bytes;
  }

  /** A handler threw or its reply could not be encoded: no reply, counted and logged. */
  failed(ctx: Request, err: unknown): void {
    countDrop(DropReason.HandlerError);
    this.log.error({ err, nas: ctx.client.name, id: ctx.packet.identifier, code: codeName(ctx.packet.code) }, 'request failed; no reply sent');
  }

  unknownClient(address: string, port: number, what = 'packet'): void {
    countDrop(DropReason.UnknownClient);
    const suppressed = this.inputLog.admit(address);
    if (suppressed < 0) return;
    this.log.warn(
      suppressed > 0 ? { address, port, suppressed } : { address, port },
      `${what} from unknown client dropped (further ones from this address are counted, not logged, for a while)`,
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
}
