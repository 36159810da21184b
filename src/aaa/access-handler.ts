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
import { textToOctets } from '../radius/octets.js';
import * as read from '../radius/accessors.js';
import type { RawAttribute } from '../radius/packet.js';
import { MsAttr, Vendor, vendorAttribute } from '../radius/vsa.js';
import type { Reply, RequestContext } from '../radius/handler.js';
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
/** Our Class, added after any Class of the vendor profile (a NAS echoes every Class it got); reply-preview.ts too. */
export const SERVICE_CLASS = {
  normal: { type: Attr.Class, value: Buffer.from(CLASS_NORMAL) },
  restricted: { type: Attr.Class, value: Buffer.from(CLASS_RESTRICTED) },
} as const satisfies Record<string, RawAttribute>;

// Module-local copies of the accessors: called per request, and a bundler's or test runner's import binding can cost
// a getter call per use.
const { chapChallenge, chapPassword, eapMessage, framedIpAddress, msChap2Response, msChapChallenge, nasPort, userName, userPassword } = read;

/**
 * What the handler reads from an Access-Request, each attribute once: the name, the credential the NAS sent (the
 * first of User-Password, CHAP-Password, MS-CHAP2-Response, EAP-Message, in that order) and Calling-Station-Id
 * (MAC binding and the auth log).
 */
interface AccessRequest {
  readonly ctx: RequestContext;
  readonly username: string;
  readonly credential: Credential;
  readonly callingStationId: string | undefined;
}

type Credential =
  | { readonly method: 'pap' | 'chap' | 'mschapv2'; readonly value: Buffer }
  | { readonly method: 'eap' | 'none'; readonly value: undefined };

const NO_CREDENTIAL: Credential = { method: 'none', value: undefined };
const EAP_CREDENTIAL: Credential = { method: 'eap', value: undefined };

function credentialOf(ctx: RequestContext): Credential {
  const packet = ctx.packet;
  let value = userPassword(packet);
  if (value) return { method: 'pap', value };
  value = chapPassword(packet);
  if (value) return { method: 'chap', value };
  value = msChap2Response(packet);
  if (value) return { method: 'mschapv2', value };
  return eapMessage(packet) ? EAP_CREDENTIAL : NO_CREDENTIAL;
}

/** The method a credential is counted under (EAP is not supported: counted as none). */
function methodOf(credential: Credential): AuthMethod {
  return credential.method === 'eap' ? 'none' : credential.method;
}

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
  /**
   * Simultaneous-Use (asked only for subscribers that have a limit): whether the username may open another
   * session, from memory when it can (aaa/open-sessions.ts).
   */
  readonly sessionLimit?: SessionLimit;
  readonly log: Logger;
}

/** Decides Simultaneous-Use: synchronously when the answer is in memory. */
export interface SessionLimit {
  admits(username: string, limit: number): boolean | Promise<boolean>;
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
    const name = userName(ctx.packet) ?? '';
    const req: AccessRequest = { ctx, username: name, credential: credentialOf(ctx), callingStationId: read.callingStationId(ctx.packet) };
    if (name === '') return this.reject(req, 'none', 'no_username', NO_ATTRIBUTES);

    const staticUser = this.staticUsers.get(name);
    if (staticUser) {
      const v = this.verify(req, staticUser);
      return v.ok ? this.accept(req, v.method, [...staticUser.reply, ...v.extra], 'accept', null) : this.reject(req, v.method, v.reason, v.attributes);
    }
    const found = this.deps.subscribers?.get(name);
    if (found instanceof Promise) return found.then((entry) => this.check(req, entry));
    return this.check(req, found);
  }

  /** Credentials, MAC binding and Simultaneous-Use, then the decision. */
  private check(req: AccessRequest, entry: (Credentials & { readonly snapshot: SubscriberSnapshot }) | undefined): Reply | Promise<Reply> {
    const { username } = req;
    if (!entry) return this.reject(req, methodOf(req.credential), 'unknown_user', NO_ATTRIBUTES);
    const v = this.verify(req, entry);
    if (!v.ok) return this.reject(req, v.method, v.reason, v.attributes);
    const snapshot = entry.snapshot;
    if (snapshot.mac !== null && !macAllowed(snapshot, req.callingStationId)) {
      return this.reject(req, v.method, 'mac_mismatch', NO_ATTRIBUTES);
    }
    const limit = snapshot.simultaneousUse;
    const sessions = this.deps.sessionLimit;
    if (limit !== null && sessions) {
      // Below the limit in memory: no SQL. At the limit: the database confirms the reject (or overturns it).
      const admitted = sessions.admits(username, limit);
      if (admitted === true) return this.decide(req, snapshot, v);
      if (admitted === false) return this.reject(req, v.method, 'simultaneous_use', NO_ATTRIBUTES);
      return admitted.then((ok) => (ok ? this.decide(req, snapshot, v) : this.reject(req, v.method, 'simultaneous_use', NO_ATTRIBUTES)));
    }
    return this.decide(req, snapshot, v);
  }

  private decide(req: AccessRequest, snapshot: SubscriberSnapshot, v: Verified & { ok: true }): Reply {
    const { ctx, username } = req;
    const vendor = ctx.client.vendor as VendorName;
    const decision = authorize(snapshot);
    if (decision.kind === 'reject') return this.reject(req, v.method, decision.reason, NO_ATTRIBUTES);
    const framedIp = optional(() => framedIpAddress(ctx.packet));
    const request = framedIp === undefined ? {} : { framedIp };
    if (decision.kind === 'redirect') {
      const redirect = this.deps.profiles.redirect(vendor, snapshot, request);
      if (redirect.code === Code.AccessReject) {
        // SKAT-style restricted reject: carries the profile's attributes; not a credential failure.
        countResult(v.method, `redirect_${decision.reason}`);
        this.record(req, username, v.method, 'redirect', decision.reason);
        return { code: Code.AccessReject, attributes: [...redirect.attributes, SERVICE_CLASS.restricted] };
      }
      return this.accept(req, v.method, [...redirect.attributes, ...v.extra], 'redirect', decision.reason);
    }
    return this.accept(req, v.method, [...this.deps.profiles.accept(vendor, snapshot, request), ...v.extra], 'accept', null);
  }

  private verify(req: AccessRequest, creds: Credentials): Verified {
    const c = req.credential;
    switch (c.method) {
      case 'pap':
        return this.pap(req.ctx, c.value, creds);
      case 'chap':
        return this.chap(req.ctx, c.value, creds);
      case 'mschapv2':
        return this.mschapv2(req.ctx, req.username, c.value, creds);
      case 'eap':
        return { ok: false, method: 'none', reason: 'unsupported_method', attributes: NO_ATTRIBUTES };
      case 'none':
        return { ok: false, method: 'none', reason: 'no_credentials', attributes: NO_ATTRIBUTES };
    }
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

  private chap(ctx: RequestContext, password: Buffer, creds: Credentials): Verified {
    if (!creds.cleartext) return { ok: false, method: 'chap', reason: 'chap_needs_cleartext', attributes: NO_ATTRIBUTES };
    if (password.length !== 17) return { ok: false, method: 'chap', reason: 'bad_format', attributes: NO_ATTRIBUTES };
    // RFC 2865 §5.3: without CHAP-Challenge the Request Authenticator is the challenge.
    const challenge = chapChallenge(ctx.packet) ?? ctx.packet.authenticator;
    return verifyChap(password, challenge, creds.cleartext)
      ? { ok: true, method: 'chap', extra: NO_ATTRIBUTES }
      : { ok: false, method: 'chap', reason: 'bad_password', attributes: NO_ATTRIBUTES };
  }

  private mschapv2(ctx: RequestContext, username: string, response: Buffer, creds: Credentials): Verified {
    const challenge = msChapChallenge(ctx.packet);
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

  private accept(req: AccessRequest, method: AuthMethod, attributes: readonly RawAttribute[], result: 'accept' | 'redirect', reason: string | null): Reply {
    const { ctx, username } = req;
    countResult(method, result === 'accept' ? 'accept' : `redirect_${reason}`);
    this.record(req, username, method, result, reason);
    if (result === 'redirect') this.deps.log.info({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method, reason }, 'access redirected to the portal');
    else if (this.deps.log.isLevelEnabled('debug')) this.deps.log.debug({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method }, 'access accepted');
    return { code: Code.AccessAccept, attributes: [...attributes, SERVICE_CLASS[result === 'accept' ? 'normal' : 'restricted']] };
  }

  private reject(req: AccessRequest, method: AuthMethod, reason: string, attributes: readonly RawAttribute[]): Reply {
    const { ctx, username } = req;
    countResult(method, reason);
    this.record(req, username, method, 'reject', reason);
    this.deps.log.info({ nas: ctx.client.name, id: ctx.packet.identifier, user: username, method, reason }, 'access rejected');
    return { code: Code.AccessReject, attributes };
  }

  private record(req: AccessRequest, username: string, method: AuthMethod, result: AuthLogEntry['result'], reason: string | null): void {
    const sink = this.deps.authLog;
    if (!sink) return;
    const ctx = req.ctx;
    const port = optional(() => nasPort(ctx.packet));
    sink({
      at: isoNow(),
      username,
      nas: ctx.client.name,
      result,
      reason,
      method,
      callingStationId: req.callingStationId ?? null,
      nasPort: port === undefined ? null : String(port),
    });
  }
}

/** An attribute read where a malformed value is as good as none (the accessors throw RADIUS_BAD_VALUE for it). */
function optional<T>(get: () => T | undefined): T | undefined {
  try {
    return get();
  } catch (err) {
    if (err instanceof RadiusError) return undefined;
    throw err;
  }
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
