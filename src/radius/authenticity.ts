/**
 * What a server checks on a request before it trusts any attribute (fail closed): the code is served on this
 * port, the Request Authenticator (Accounting-Request) and the Message-Authenticator verify, and the BlastRADIUS
 * rules (RFC 3579 §3.2, RFC 5997 §3, FreeRADIUS `require_message_authenticator` / `limit_proxy_state`).
 */
import { Attr, Code } from './codes.js';
import { verifyMessageAuthenticator, verifyRequestAuthenticator } from './crypto.js';
import type { RadiusErrorCode } from './errors.js';
import type { PortRole } from './handler.js';
import { hasAttribute, type RawPacket } from './packet.js';

export interface AuthenticityPolicy {
  readonly secret: Buffer;
  readonly requireMessageAuthenticator: boolean;
  readonly limitProxyState: boolean;
}

const ZERO16 = Buffer.alloc(16);

/** Where the value of a first attribute starts: after the header, the attribute's type and length octets. */
const FIRST_VALUE_OFFSET = 22;

/**
 * Where a request carries Message-Authenticator, for counting (the index of the metric's state): 0 as the first
 * attribute (what the BlastRADIUS advice asks of a NAS), 1 elsewhere, 2 absent. No allocation: the parser already
 * knows the offset.
 */
export function messageAuthenticatorPlacement(packet: RawPacket): 0 | 1 | 2 {
  const off = packet.messageAuthenticatorOffset;
  return off < 0 ? 2 : off === FIRST_VALUE_OFFSET ? 0 : 1;
}

/** Null when the request may be handled; else the RadiusError code saying why it is dropped. */
export function requestProblem(role: PortRole, client: AuthenticityPolicy, packet: RawPacket): RadiusErrorCode | null {
  const code = packet.code;
  if (code === Code.AccessRequest || code === Code.StatusServer) {
    if (code === Code.AccessRequest && role !== 'auth') return 'RADIUS_UNKNOWN_CODE';
    const hasEap = hasAttribute(packet, Attr.EAPMessage);
    const hasPassword = hasEap && (hasAttribute(packet, Attr.UserPassword) || hasAttribute(packet, Attr.CHAPPassword));
    if (hasEap && hasPassword) return 'RADIUS_EAP_WITH_PASSWORD';
    if (packet.messageAuthenticatorOffset < 0) {
      // RFC 5997 and RFC 3579 require it on Status-Server and with EAP whatever the client setting.
      if (code === Code.StatusServer || hasEap || client.requireMessageAuthenticator) return 'RADIUS_MISSING_MESSAGE_AUTHENTICATOR';
      if (client.limitProxyState && hasAttribute(packet, Attr.ProxyState)) return 'RADIUS_PROXY_STATE_WITHOUT_MA';
      return null;
    }
    return verifyMessageAuthenticator(packet, client.secret, null) ? null : 'RADIUS_BAD_MESSAGE_AUTHENTICATOR';
  }
  if (code === Code.AccountingRequest) {
    if (role !== 'acct') return 'RADIUS_UNKNOWN_CODE';
    if (!verifyRequestAuthenticator(packet, client.secret)) return 'RADIUS_BAD_AUTHENTICATOR';
    if (packet.messageAuthenticatorOffset >= 0 && !verifyMessageAuthenticator(packet, client.secret, ZERO16)) {
      return 'RADIUS_BAD_MESSAGE_AUTHENTICATOR';
    }
    return null;
  }
  return 'RADIUS_UNKNOWN_CODE';
}
