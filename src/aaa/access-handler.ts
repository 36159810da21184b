/**
 * Access-Request → Access-Accept / redirect-to-portal / Access-Reject.
 *
 * 1. Find the credentials: static users from the config first (monitoring probes, tests), then the subscriber
 *    directory (memory → shared cache → PostgreSQL).
 * 2. Check the credential the NAS sent, in constant time: User-Password → PAP, CHAP-Password → CHAP,
 *    MS-CHAP-Challenge + MS-CHAP2-Response → MS-CHAPv2 (answering MS-CHAP2-Success and MPPE keys).
 * 3. Decide from status and money (authorize.ts) and answer with the NAS's vendor profile: the normal service
 *    attributes, or the profile's redirect (an Access-Accept into the captive portal for most BRAS, the
 *    restricted Access-Reject for VAS Experts SKAT).
 * Every decision is counted, logged when it is not an accept, and written to the auth log in batches.
 *
 * RADIUS strings are octets: User-Name and Calling-Station-Id are taken in their exact text form (octetsToText),
 * so a NUL or invalid UTF-8 from a NAS is an unknown login, never a string PostgreSQL refuses. Every Access-Accept
 * and restricted Access-Reject carries our Class (`tollgate:normal` / `tollgate:restricted`), which the NAS echoes
 * in accounting (RFC 2865 §5.25) so the rater knows a session's service from its first record.
 */
import { timingSafeEqual } from 'node:crypto';
import { CLASS_NORMAL, CLASS_RESTRICTED } from '../domain/accounting.js';
import type { AuthLogEntry, SubscriberSnapshot } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import { authResults, Tally } from '../observability/metrics.js';
import { Attr, Code } from '../radius/codes.js';
import { hideSalted, unhidePassword } from '../radius/crypto.js';
import { RadiusError } from '../radius/errors.js';
import { octetsToText, textToOctets } from '../radius/octets.js';
import { findAttribute, type RawAttribute } from '../radius/packet.js';
import { findVendorAttribute, MsAttr, Vendor, vendorAttribute } from '../radius/vsa.js';
import type { Reply, RequestContext } from '../transport/udp-server.js';
import { verifyChap } from '../auth/chap.js';
import { ntPasswordHash, verifyMsChapV2 } from '../auth/mschapv2.js';
import { verifyPap } from '../auth/pap.js';
import { authorize, macAllowed } from './authorize.js';
import type { SubscriberDirectory } from './subscriber-directory.js';
import type { UserDirectory } from './users.js';
import type { VendorProfiles } from './vendor-profiles.js';
import type { VendorName } from '../domain/types.js';

export type AuthMethod = 'pap' | 'chap' | 'mschapv2' | 'none';

/** What a credential is checked against: cleartext when stored, and the NT hash. */
export interface Credentials {
  readonly cleartext: Buffer | undefined;
  readonly ntHash: Buffer | undefined;
}

type Verified =
  | { readonly ok: true; readonly method: AuthMethod; readonly extra: readonly RawAttribute[] }
  | { readonly ok: false; readonly method: AuthMethod; readonly reason: string; readonly attributes: readonly RawAttribute[] };

/** MS-MPPE-Encryption-Policy 1 (allowed) and -Types 6 (40- and 128-bit RC4), FreeRADIUS rlm_mschap's defaults. */
const MPPE_POLICY = vendorAttribute(Vendor.Microsoft, MsAttr.MPPEEncryptionPolicy, Buffer.from([0, 0, 0, 1]));
const MPPE_TYPES = vendorAttribute(Vendor.Microsoft, MsAttr.MPPEEncryptionTypes, Buffer.from([0, 0, 0, 6]));
const NO_ATTRIBUTES: readonly RawAttribute[] = [];
/** Our Class, added after any Class of the vendor profile (a NAS echoes every Class it got). */
const SERVICE_CLASS = {
  normal: { type: Attr.Class, value: Buffer.from(CLASS_NORMAL) },
  restricted: { type: Attr.Class, value: Buffer.from(CLASS_RESTRICTED) },
} as const satisfies Record<string, RawAttribute>;

const resultTallies = new Map<string, Tally>();
function countResult(method: AuthMethod, result: string): void {
  const key = `${method}|${result}`;
  let t = resultTallies.get(key);
  if (!t) resultTallies.set(key, (t = Tally.of(authResults, method, result)));
  t.inc();
}

export interface AccessHandlerDeps {
  readonly staticUsers: UserDirectory;
  readonly subscribers: SubscriberDirectory | undefined;
  readonly profiles: VendorProfiles;
  /** Receives one entry per decision (batched to the database by the caller). */
  readonly authLog: ((entry: AuthLogEntry) => void) | undefined;
  /** Open sessions of a username, for Simultaneous-Use (asked only for subscribers that have a limit). */
  readonly activeSessions?: (username: string) => Promise<number>;
  readonly log: Logger;
}

export class AccessHandler {
  private staticUsers: UserDirectory;
  constructor(private readonly deps: AccessHandlerDeps) {
    this.staticUsers = deps.staticUsers;
  }

  setStaticUsers(users: UserDirectory): void {
    this.staticUsers = users;
  }

  handle(ctx: RequestContext): Reply | Promise<Reply> {
    const nameAttr = findAttribute(ctx.packet, Attr.UserName);
    if (!nameAttr || nameAttr.value.length === 0) return this.reject(ctx, 'none', 'no_username', '', NO_ATTRIBUTES);
    const username = octetsToText(nameAttr.value);

    const staticUser = this.staticUsers.get(username);
    if (staticUser) {
      const v = this.verify(ctx, username, staticUser);
      return v.ok ? this.accept(ctx, v.method, username, [...staticUser.reply, ...v.extra], 'accept', null) : this.reject(ctx, v.method, v.reason, username, v.attributes);
    }
    const found = this.deps.subscribers?.get(username);
    if (found instanceof Promise) return found.then((entry) => this.check(ctx, username, entry));
    return this.check(ctx, username, found);
  }

  /** Credentials, MAC binding and Simultaneous-Use, then the decision. */
  private check(ctx: RequestContext, username: string, entry: (Credentials & { readonly snapshot: SubscriberSnapshot }) | undefined): Reply | Promise<Reply> {
    if (!entry) return this.reject(ctx, this.methodOf(ctx), 'unknown_user', username, NO_ATTRIBUTES);
    const v = this.verify(ctx, username, entry);
    if (!v.ok) return this.reject(ctx, v.method, v.reason, username, v.attributes);
    const snapshot = entry.snapshot;
    if (snapshot.mac !== null && !macAllowed(snapshot, callingStationId(ctx))) {
      return this.reject(ctx, v.method, 'mac_mismatch', username, NO_ATTRIBUTES);
    }
    const limit = snapshot.simultaneousUse;
    const count = this.deps.activeSessions;
    if (limit !== null && count) {
      // Open sessions are in the database (any instance may have seen their Start): one indexed count.
      return count(username).then((open) =>
        open >= limit ? this.reject(ctx, v.method, 'simultaneous_use', username, NO_ATTRIBUTES) : this.decide(ctx, username, snapshot, v),
      );
    }
    return this.decide(ctx, username, snapshot, v);
  }

  private decide(ctx: RequestContext, username: string, snapshot: SubscriberSnapshot, v: Verified & { ok: true }): Reply {
    const vendor = ctx.client.vendor as VendorName;
    const decision = authorize(snapshot);
    const framed = findAttribute(ctx.packet, Attr.FramedIPAddress)?.value;
    const request = framed?.length === 4 ? { framedIp: `${framed[0]}.${framed[1]}.${framed[2]}.${framed[3]}` } : {};
    if (decision.kind === 'reject') return this.reject(ctx, v.method, decision.reason, username, NO_ATTRIBUTES);
    if (decision.kind === 'redirect') {
      const redirect = this.deps.profiles.redirect(vendor, snapshot, request);
      if (redirect.code === Code.AccessReject) {
        // SKAT-style restricted reject: carries the profile's attributes; not a credential failure.
        countResult(v.method, `redirect_${decision.reason}`);
        this.record(ctx, username, v.method, 'redirect', decision.reason);
        return { code: Code.AccessReject, attributes: [...redirect.attributes, SERVICE_CLASS.restricted] };
      }
      return this.accept(ctx, v.method, username, [...redirect.attributes, ...v.extra], 'redirect', decision.reason);
    }
    return this.accept(ctx, v.method, username, [...this.deps.profiles.accept(vendor, snapshot, request), ...v.extra], 'accept', null);
  }

  private methodOf(ctx: RequestContext): AuthMethod {
    if (findAttribute(ctx.packet, Attr.UserPassword)) return 'pap';
    if (findAttribute(ctx.packet, Attr.CHAPPassword)) return 'chap';
    if (findVendorAttribute(ctx.packet, Vendor.Microsoft, MsAttr.CHAP2Response)) return 'mschapv2';
    return 'none';
  }

  private verify(ctx: RequestContext, username: string, creds: Credentials): Verified {
    const { packet } = ctx;
    const password = findAttribute(packet, Attr.UserPassword);
    if (password) return this.pap(ctx, password.value, creds);
    const chap = findAttribute(packet, Attr.CHAPPassword);
    if (chap) return this.chap(ctx, chap.value, creds);
    const msResponse = findVendorAttribute(packet, Vendor.Microsoft, MsAttr.CHAP2Response);
    if (msResponse) return this.mschapv2(ctx, username, msResponse, creds);
    if (findAttribute(packet, Attr.EAPMessage)) return { ok: false, method: 'none', reason: 'unsupported_method', attributes: NO_ATTRIBUTES };
    return { ok: false, method: 'none', reason: 'no_credentials', attributes: NO_ATTRIBUTES };
  }

  private pap(ctx: RequestContext, hidden: Buffer, creds: Credentials): Verified {
    let given: Buffer;
    try {
      given = unhidePassword(hidden, ctx.client.secret, ctx.packet.authenticator);
    } catch (err) {
      if (err instanceof RadiusError) return { ok: false, method: 'pap', reason: 'bad_format', attributes: NO_ATTRIBUTES };
      throw err;
    }
    const ok = creds.cleartext
      ? verifyPap(given, creds.cleartext)
      : creds.ntHash !== undefined && given.length > 0 && equal(ntPasswordHash(given.toString('utf8')), creds.ntHash);
    return ok ? { ok: true, method: 'pap', extra: NO_ATTRIBUTES } : { ok: false, method: 'pap', reason: 'bad_password', attributes: NO_ATTRIBUTES };
  }

  private chap(ctx: RequestContext, chapPassword: Buffer, creds: Credentials): Verified {
    if (!creds.cleartext) return { ok: false, method: 'chap', reason: 'chap_needs_cleartext', attributes: NO_ATTRIBUTES };
    if (chapPassword.length !== 17) return { ok: false, method: 'chap', reason: 'bad_format', attributes: NO_ATTRIBUTES };
    // RFC 2865 §5.3: without CHAP-Challenge the Request Authenticator is the challenge.
    const challenge = findAttribute(ctx.packet, Attr.CHAPChallenge)?.value ?? ctx.packet.authenticator;
    return verifyChap(chapPassword, challenge, creds.cleartext)
      ? { ok: true, method: 'chap', extra: NO_ATTRIBUTES }
      : { ok: false, method: 'chap', reason: 'bad_password', attributes: NO_ATTRIBUTES };
  }

  private mschapv2(ctx: RequestContext, username: string, response: Buffer, creds: Credentials): Verified {
    const challenge = findVendorAttribute(ctx.packet, Vendor.Microsoft, MsAttr.CHAPChallenge);
    if (!challenge || !creds.ntHash) return { ok: false, method: 'mschapv2', reason: 'bad_format', attributes: NO_ATTRIBUTES };
    // The challenge hash covers the name the peer sent, not its text form (`DOMAIN\x41` is held as `DOMAIN\\x41`).
    const userName = textToOctets(username).toString('utf8');
    const result = verifyMsChapV2({ userName, authenticatorChallenge: challenge, response }, creds.ntHash);
    if (!result.ok) {
      const error = vendorAttribute(Vendor.Microsoft, MsAttr.CHAPError, result.error);
      return { ok: false, method: 'mschapv2', reason: result.reason === 'bad-format' ? 'bad_format' : 'bad_password', attributes: [error] };
    }
    const { secret } = ctx.client;
    const ra = ctx.packet.authenticator;
    return {
      ok: true,
      method: 'mschapv2',
      extra: [
        vendorAttribute(Vendor.Microsoft, MsAttr.CHAP2Success, result.success),
        vendorAttribute(Vendor.Microsoft, MsAttr.MPPERecvKey, hideSalted(result.recvKey, secret, ra)),
        vendorAttribute(Vendor.Microsoft, MsAttr.MPPESendKey, hideSalted(result.sendKey, secret, ra)),
        MPPE_POLICY,
        MPPE_TYPES,
      ],
    };
  }

  private accept(
    ctx: RequestContext,
    method: AuthMethod,
    username: string,
    attributes: readonly RawAttribute[],
    result: 'accept' | 'redirect',
    reason: string | null,
  ): Reply {
    countResult(method, result === 'accept' ? 'accept' : `redirect_${reason}`);
    this.record(ctx, username, method, result, reason);
    if (result === 'redirect') this.deps.log.info({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method, reason }, 'access redirected to the portal');
    else if (this.deps.log.isLevelEnabled('debug')) this.deps.log.debug({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method }, 'access accepted');
    return { code: Code.AccessAccept, attributes: [...attributes, SERVICE_CLASS[result === 'accept' ? 'normal' : 'restricted']] };
  }

  private reject(ctx: RequestContext, method: AuthMethod, reason: string, username: string, attributes: readonly RawAttribute[]): Reply {
    countResult(method, reason);
    this.record(ctx, username, method, 'reject', reason);
    this.deps.log.info({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method, reason }, 'access rejected');
    return { code: Code.AccessReject, attributes };
  }

  private record(ctx: RequestContext, username: string, method: AuthMethod, result: AuthLogEntry['result'], reason: string | null): void {
    const sink = this.deps.authLog;
    if (!sink) return;
    const port = findAttribute(ctx.packet, Attr.NASPort);
    sink({
      at: isoNow(),
      username,
      nas: ctx.client.name,
      result,
      reason,
      method,
      callingStationId: callingStationId(ctx) ?? null,
      nasPort: port && port.value.length === 4 ? String(port.value.readUInt32BE(0)) : null,
    });
  }
}

/** Calling-Station-Id in its exact text form (a MAC address is plain ASCII and stays as it is). */
function callingStationId(ctx: RequestContext): string | undefined {
  const attr = findAttribute(ctx.packet, Attr.CallingStationId);
  return attr ? octetsToText(attr.value) : undefined;
}

let lastMs = 0;
let lastIso = '';
/** The current time as ISO-8601, formatted once per millisecond (tens of decisions share one). */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
