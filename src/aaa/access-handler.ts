/**
 * Access-Request → Access-Accept / Access-Reject. Picks the method from the attributes present
 * (User-Password → PAP, CHAP-Password → CHAP, MS-CHAP-Challenge + MS-CHAP2-Response → MS-CHAPv2),
 * checks the credential against the directory in constant time, and answers with the user's reply
 * attributes (plus MS-CHAP2-Success and MPPE keys for MS-CHAPv2). Every reject carries a reason that is
 * logged and counted.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import { authResults, Tally } from '../observability/metrics.js';
import { Attr, Code } from '../radius/codes.js';
import { hideSalted, unhidePassword } from '../radius/crypto.js';
import { RadiusError } from '../radius/errors.js';
import { findAttribute, type RawAttribute } from '../radius/packet.js';
import { findVendorAttribute, MsAttr, Vendor, vendorAttribute } from '../radius/vsa.js';
import type { Reply, RequestContext } from '../transport/udp-server.js';
import { verifyChap } from './auth/chap.js';
import { ntPasswordHash, verifyMsChapV2 } from './auth/mschapv2.js';
import { verifyPap } from './auth/pap.js';
import type { UserDirectory, UserEntry } from './users.js';

export type AuthMethod = 'pap' | 'chap' | 'mschapv2' | 'none';
export type RejectReason =
  | 'no_username'
  | 'unknown_user'
  | 'bad_password'
  | 'bad_format'
  | 'unsupported_method'
  | 'no_credentials'
  | 'chap_needs_cleartext';

/** MS-MPPE-Encryption-Policy 1 (allowed) and -Types 6 (40- and 128-bit RC4), FreeRADIUS rlm_mschap's defaults. */
const MPPE_POLICY = vendorAttribute(Vendor.Microsoft, MsAttr.MPPEEncryptionPolicy, Buffer.from([0, 0, 0, 1]));
const MPPE_TYPES = vendorAttribute(Vendor.Microsoft, MsAttr.MPPEEncryptionTypes, Buffer.from([0, 0, 0, 6]));

const resultTallies = new Map<string, Tally>();
function countResult(method: AuthMethod, result: string): void {
  const key = `${method}|${result}`;
  let t = resultTallies.get(key);
  if (!t) resultTallies.set(key, (t = Tally.of(authResults, method, result)));
  t.inc();
}

export class AccessHandler {
  constructor(
    private users: UserDirectory,
    private readonly log: Logger,
  ) {}

  setUsers(users: UserDirectory): void {
    this.users = users;
  }

  handle(ctx: RequestContext): Reply {
    const { packet } = ctx;
    const nameAttr = findAttribute(packet, Attr.UserName);
    if (!nameAttr || nameAttr.value.length === 0) return this.reject(ctx, 'none', 'no_username', '');
    const username = nameAttr.value.toString('utf8');

    const password = findAttribute(packet, Attr.UserPassword);
    if (password) return this.pap(ctx, username, password.value);
    const chap = findAttribute(packet, Attr.CHAPPassword);
    if (chap) return this.chap(ctx, username, chap.value);
    const msResponse = findVendorAttribute(packet, Vendor.Microsoft, MsAttr.CHAP2Response);
    if (msResponse) return this.mschapv2(ctx, username, msResponse);
    if (findAttribute(packet, Attr.EAPMessage)) return this.reject(ctx, 'none', 'unsupported_method', username);
    return this.reject(ctx, 'none', 'no_credentials', username);
  }

  private pap(ctx: RequestContext, username: string, hidden: Buffer): Reply {
    const user = this.users.get(username);
    if (!user) return this.reject(ctx, 'pap', 'unknown_user', username);
    let given: Buffer;
    try {
      given = unhidePassword(hidden, ctx.client.secret, ctx.packet.authenticator);
    } catch (err) {
      if (err instanceof RadiusError) return this.reject(ctx, 'pap', 'bad_format', username);
      throw err;
    }
    const ok = user.cleartext ? verifyPap(given, user.cleartext) : ntHashEquals(ntPasswordHash(given.toString('utf8')), user.ntHash);
    return ok ? this.accept(ctx, 'pap', user, user.reply) : this.reject(ctx, 'pap', 'bad_password', username);
  }

  private chap(ctx: RequestContext, username: string, chapPassword: Buffer): Reply {
    const user = this.users.get(username);
    if (!user) return this.reject(ctx, 'chap', 'unknown_user', username);
    if (!user.cleartext) return this.reject(ctx, 'chap', 'chap_needs_cleartext', username);
    if (chapPassword.length !== 17) return this.reject(ctx, 'chap', 'bad_format', username);
    // RFC 2865 §5.3: without CHAP-Challenge the Request Authenticator is the challenge.
    const challenge = findAttribute(ctx.packet, Attr.CHAPChallenge)?.value ?? ctx.packet.authenticator;
    return verifyChap(chapPassword, challenge, user.cleartext)
      ? this.accept(ctx, 'chap', user, user.reply)
      : this.reject(ctx, 'chap', 'bad_password', username);
  }

  private mschapv2(ctx: RequestContext, username: string, response: Buffer): Reply {
    const challenge = findVendorAttribute(ctx.packet, Vendor.Microsoft, MsAttr.CHAPChallenge);
    if (!challenge) return this.reject(ctx, 'mschapv2', 'bad_format', username);
    const user = this.users.get(username);
    if (!user) return this.reject(ctx, 'mschapv2', 'unknown_user', username);
    const result = verifyMsChapV2({ userName: username, authenticatorChallenge: challenge, response }, user.ntHash);
    if (!result.ok) {
      const error = vendorAttribute(Vendor.Microsoft, MsAttr.CHAPError, result.error);
      return this.reject(ctx, 'mschapv2', result.reason === 'bad-format' ? 'bad_format' : 'bad_password', username, [error]);
    }
    const { secret } = ctx.client;
    const ra = ctx.packet.authenticator;
    const extra: RawAttribute[] = [
      vendorAttribute(Vendor.Microsoft, MsAttr.CHAP2Success, result.success),
      vendorAttribute(Vendor.Microsoft, MsAttr.MPPERecvKey, hideSalted(result.recvKey, secret, ra)),
      vendorAttribute(Vendor.Microsoft, MsAttr.MPPESendKey, hideSalted(result.sendKey, secret, ra)),
      MPPE_POLICY,
      MPPE_TYPES,
    ];
    return this.accept(ctx, 'mschapv2', user, [...user.reply, ...extra]);
  }

  private accept(ctx: RequestContext, method: AuthMethod, user: UserEntry, attributes: readonly RawAttribute[]): Reply {
    countResult(method, 'accept');
    if (this.log.isLevelEnabled('debug')) this.log.debug({ nas: ctx.client.name, id: ctx.packet.identifier, user: user.username, method }, 'access accepted');
    return { code: Code.AccessAccept, attributes };
  }

  private reject(ctx: RequestContext, method: AuthMethod, reason: RejectReason, username: string, attributes: RawAttribute[] = []): Reply {
    countResult(method, reason);
    this.log.info({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method, reason }, 'access rejected');
    return { code: Code.AccessReject, attributes };
  }
}

function ntHashEquals(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
