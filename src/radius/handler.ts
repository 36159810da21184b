/**
 * The contract between the RADIUS server and the request handlers (access, accounting). It lives in the protocol
 * core rather than in transport/udp-server.ts because it is RADIUS-level: a verified request from a known client
 * in, a reply code and attributes to sign out. The handlers (src/aaa) then depend on radius only, and the
 * transport (sockets, the NAS table, duplicate detection) can change without them.
 */
import type { RawAttribute, RawPacket } from './packet.js';

export type PortRole = 'auth' | 'acct';

/** What a handler knows of the client that sent the request (transport's NasClient is one). */
export interface RequestClient {
  readonly name: string;
  /** The shared secret, which keys hidden attributes (User-Password, MPPE keys). */
  readonly secret: Buffer;
  /** The vendor profile the client answers with. */
  readonly vendor: string;
}

export interface RequestContext {
  readonly client: RequestClient;
  /** The request, its authenticators already verified. */
  readonly packet: RawPacket;
  readonly source: { readonly address: string; readonly port: number };
  readonly role: PortRole;
  /**
   * Report a problem with the request's content (an attribute missing or of the wrong size): logged as a warning
   * at most once per interval for each client and reason, as every other problem with RADIUS input. The caller
   * counts it; counters see every event.
   */
  readonly inputProblem: (reason: string, fields: Record<string, unknown>, message: string) => void;
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
