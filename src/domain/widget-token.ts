/**
 * Billing-widget tokens, the contract between the admin API, which issues one per subscriber for the operator's
 * own site, and the portal listener, whose /widget/v1/* endpoints take it (so it lives below both). `v1.<payload>.<mac>`: the payload is base64url JSON
 * `{ sub, exp }` (subscriber id, expiry in Unix seconds), the MAC HMAC-SHA256 over `v1.<payload>` with
 * portal.widgetSecret, compared in constant time before the payload is read.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'v1';

/** Where the portal listener serves the widget: the admin API hands these out with each token. */
export const WIDGET_PATHS = { summary: '/widget/v1/summary', fragment: '/widget/v1/fragment' } as const;

export interface WidgetClaims {
  readonly subscriberId: number;
  /** Expiry, Unix seconds. */
  readonly expiresAt: number;
}

export type WidgetTokenCheck = { readonly ok: true; readonly claims: WidgetClaims } | { readonly ok: false; readonly reason: 'malformed' | 'bad_signature' | 'expired' };

export class WidgetTokens {
  private readonly key: Buffer;

  constructor(secret: string, private readonly now: () => number = Date.now) {
    if (secret.length < 32) throw new RangeError('the widget secret must be at least 32 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  private mac(signed: string): Buffer {
    return createHmac('sha256', this.key).update(signed).digest();
  }

  /** A token for `subscriberId` valid for `ttlSeconds` from now. */
  issue(subscriberId: number, ttlSeconds: number): { token: string; expiresAt: Date } {
    if (!Number.isSafeInteger(subscriberId) || subscriberId < 1) throw new RangeError(`subscriberId must be a positive integer, got ${subscriberId}`);
    const exp = Math.floor(this.now() / 1000) + ttlSeconds;
    const payload = Buffer.from(JSON.stringify({ sub: subscriberId, exp })).toString('base64url');
    const signed = `${PREFIX}.${payload}`;
    return { token: `${signed}.${this.mac(signed).toString('base64url')}`, expiresAt: new Date(exp * 1000) };
  }

  verify(token: unknown): WidgetTokenCheck {
    if (typeof token !== 'string' || token.length > 512) return { ok: false, reason: 'malformed' };
    const m = /^v1\.([A-Za-z0-9_-]{1,300})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return { ok: false, reason: 'malformed' };
    // Compared as text: a non-canonical base64url spelling of the right MAC is not the token that was issued.
    const given = Buffer.from(m[2] as string, 'latin1');
    const expected = Buffer.from(this.mac(`${PREFIX}.${m[1] as string}`).toString('base64url'), 'latin1');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(m[1] as string, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const { sub, exp } = (claims ?? {}) as { sub?: unknown; exp?: unknown };
    if (typeof sub !== 'number' || !Number.isSafeInteger(sub) || sub < 1 || typeof exp !== 'number' || !Number.isSafeInteger(exp)) {
      return { ok: false, reason: 'malformed' };
    }
    if (exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { subscriberId: sub, expiresAt: exp } };
  }
}
