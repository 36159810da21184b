/**
 * Who sends an admin API request (docs/console.md, Identities), in one place:
 *
 * - `Authorization: Bearer tg_<id>_<secret>`: an operator's API token. Its SHA-256 is compared in constant time;
 *   it fails when expired, revoked, its operator disabled, or its operator's role is now below the token's.
 * - `Authorization: Bearer <admin.token>`: the bootstrap admin (login `bootstrap`), as before operators existed.
 * - the `tg_session` cookie: a console session (stored as the SHA-256 of the cookie), ended after
 *   `admin.sessionIdleMinutes` without a request or `admin.sessionMaxHours` after sign-in. An unsafe method
 *   (POST, PATCH, PUT, DELETE) also needs `X-CSRF-Token` equal to the session's token, else 403 CSRF_FAILED.
 *
 * A request carrying an Authorization header is judged by it alone (a cookie beside it is ignored). The client
 * address is the peer's, or X-Forwarded-For's from `admin.trustedProxies`; the cookie is Secure when the request
 * came over TLS or a trusted proxy says `X-Forwarded-Proto: https`.
 *
 * Also here: LoginThrottle, the sliding-window failure counter of POST /auth/login (in-process: each instance
 * keeps its own counters).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { csrfTokenFor, digestsEqual, parseApiToken, sha256Hex } from '../../domain/credentials.js';
import { BOOTSTRAP_LOGIN, roleAtMost, type Actor } from '../../domain/operators.js';
import type { Store } from '../../domain/ports.js';
import { ClientAddressResolver } from '../client-address.js';
import { createTokenCheck } from './auth.js';
import { ApiError } from './errors.js';

export const SESSION_COOKIE = 'tg_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface SecuritySettings {
  /** Minutes without a request after which a console session ends (admin.sessionIdleMinutes, default 30). */
  readonly sessionIdleMinutes: number;
  /** Hours after sign-in after which a console session ends (admin.sessionMaxHours, default 12). */
  readonly sessionMaxHours: number;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (admin.trustedProxies, default none). */
  readonly trustedProxies: readonly string[];
  readonly throttle: ThrottleLimits;
}

export interface ThrottleLimits {
  /** Failures of one login within the window before it is locked. */
  readonly perLogin: number;
  /** Failures from one client address within the window before it is locked. */
  readonly perAddress: number;
  readonly windowMinutes: number;
}

export const DEFAULT_SECURITY: SecuritySettings = {
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  trustedProxies: [],
  throttle: { perLogin: 10, perAddress: 30, windowMinutes: 15 },
};

/** What a request is, besides its credentials: where it came from and over what. */
export interface RequestFacts {
  readonly address: string;
  readonly userAgent: string | null;
  /** TLS, or https per a trusted proxy: the session cookie gets Secure. */
  readonly secure: boolean;
}

export interface Authenticated {
  readonly actor: Actor;
  /** The session's digest when the actor is a console session (logout ends it). */
  readonly sessionIdHash?: string;
  /** The session's CSRF token digest. */
  readonly csrfHash?: string;
  /** The session's CSRF token itself, derived from the cookie (absent for a session whose token was random). */
  readonly csrfToken?: string;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const unauthorized = (message: string) => new ApiError('UNAUTHORIZED', message, { headers: { 'www-authenticate': 'Bearer' } });

/** The value of one cookie in a Cookie header (the first, when repeated), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for a new session (HttpOnly; SameSite=Strict; Path=/; Secure over TLS). */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

export interface Authenticator {
  /** Where the request came from and whether it is over TLS (trusting only the configured proxies). */
  facts(req: IncomingMessage): RequestFacts;
  /**
   * The actor of a request with credentials, undefined without any; 401 for credentials that do not hold, 403
   * CSRF_FAILED for a session's unsafe request without its token.
   */
  authenticate(req: IncomingMessage, method: string, facts: RequestFacts): Promise<Authenticated | undefined>;
}

export function createAuthenticator(deps: { readonly store: Store; readonly bootstrapToken: string | undefined; readonly settings: SecuritySettings }): Authenticator {
  const { store, settings } = deps;
  // An empty token would be a configuration slip, not an open door: treat it as no token.
  const bootstrapMatches = deps.bootstrapToken === undefined || deps.bootstrapToken === '' ? undefined : createTokenCheck(deps.bootstrapToken);
  const resolver = new ClientAddressResolver(settings.trustedProxies);

  async function byApiToken(id: number, secret: string, address: string): Promise<Authenticated> {
    const token = await store.operatorTokens.forCheck(id);
    // The digest is compared whatever was found, so an unknown id costs what a wrong secret costs.
    const matches = digestsEqual(sha256Hex(secret), token?.secretHash ?? sha256Hex(''));
    if (!token || !matches) throw unauthorized('the API token is not valid');
    if (token.revokedAt !== null) throw unauthorized('the API token was revoked');
    if (Date.parse(token.expiresAt) <= Date.now()) throw unauthorized(`the API token expired at ${token.expiresAt}`);
    if (token.operatorDisabled) throw unauthorized('the operator of this API token is disabled');
    if (!roleAtMost(token.role, token.operatorRole)) {
      throw unauthorized(`the API token has the ${token.role} role but its operator now has ${token.operatorRole}; make a new token`);
    }
    await store.operatorTokens.touch(id);
    return { actor: { kind: 'token', operatorId: token.operatorId, login: token.operatorLogin, role: token.role, address, tokenId: token.id } };
  }

  return {
    facts(req) {
      const peer = req.socket.remoteAddress;
      const address = resolver.resolve(peer, req.headers['x-forwarded-for']) ?? peer ?? '';
      const tls = (req.socket as Partial<TLSSocket>).encrypted === true;
      const proto = req.headers['x-forwarded-proto'];
      const forwardedHttps = peer !== undefined && resolver.isTrusted(peer) && typeof proto === 'string' && proto.split(',')[0]?.trim().toLowerCase() === 'https';
      const agent = req.headers['user-agent'];
      return { address, userAgent: typeof agent === 'string' ? agent : null, secure: tls || forwardedHttps };
    },

    async authenticate(req, method, facts) {
      const authorization = req.headers.authorization;
      if (authorization !== undefined) {
        const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
        const apiToken = bearer === undefined ? undefined : parseApiToken(bearer);
        if (apiToken) return byApiToken(apiToken.id, apiToken.secret, facts.address);
        if (bootstrapMatches?.(authorization)) {
          return { actor: { kind: 'bootstrap', operatorId: null, login: BOOTSTRAP_LOGIN, role: 'admin', address: facts.address } };
        }
        throw unauthorized('send Authorization: Bearer <token> with an operator API token (tg_…) or the admin token');
      }
      const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
      if (cookie === undefined || cookie === '') return undefined;
      const idHash = sha256Hex(cookie);
      const session = await store.operatorSessions.resume(idHash, settings.sessionIdleMinutes);
      if (!session) throw unauthorized('the console session has ended (signed out, idle, expired or the operator disabled); sign in again');
      if (UNSAFE.has(method)) {
        const given = req.headers[CSRF_HEADER];
        const ok = digestsEqual(sha256Hex(typeof given === 'string' ? given : ''), session.csrfHash);
        if (!ok) throw new ApiError('CSRF_FAILED', `a ${method} with a session cookie needs the X-CSRF-Token header the login answered with`);
      }
      const csrfToken = csrfTokenFor(cookie);
      return {
        actor: { kind: 'session', operatorId: session.operatorId, login: session.login, role: session.role, address: facts.address },
        sessionIdHash: idHash,
        csrfHash: session.csrfHash,
        ...(digestsEqual(sha256Hex(csrfToken), session.csrfHash) ? { csrfToken } : {}),
      };
    },
  };
}

/**
 * Sign-in failures per login and per client address in a sliding window. `check` before verifying a password:
 * a key at its limit is locked until its oldest failure in the window leaves it (the Retry-After). In-process:
 * several instances each count their own. Bounded: at most `maxKeys` keys are kept (the stalest dropped).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  private window(key: string): number[] {
    const since = this.now() - this.limits.windowMinutes * 60_000;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  private retryAfter(list: readonly number[], limit: number): number | undefined {
    if (list.length < limit) return undefined;
    const freeAt = list[list.length - limit]! + this.limits.windowMinutes * 60_000;
    return Math.max(1, Math.ceil((freeAt - this.now()) / 1000));
  }

  /** Seconds until a sign-in of `login` from `address` may be tried again, or undefined when it may now. */
  check(login: string, address: string): number | undefined {
    const byLogin = this.retryAfter(this.window(`l:${login.toLowerCase()}`), this.limits.perLogin);
    const byAddress = this.retryAfter(this.window(`a:${address}`), this.limits.perAddress);
    if (byLogin === undefined) return byAddress;
    return byAddress === undefined ? byLogin : Math.max(byLogin, byAddress);
  }

  /** Counts a failure; returns true when it is the one that locks the login or the address. */
  fail(login: string, address: string): boolean {
    let locked = false;
    for (const [key, limit] of [[`l:${login.toLowerCase()}`, this.limits.perLogin], [`a:${address}`, this.limits.perAddress]] as const) {
      const list = this.window(key);
      list.push(this.now());
      this.failures.delete(key);
      this.failures.set(key, list);
      if (list.length === limit) locked = true;
    }
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
    return locked;
  }

  /** A successful sign-in clears its login's failures (the address keeps its count). */
  succeed(login: string): void {
    this.failures.delete(`l:${login.toLowerCase()}`);
  }
}
