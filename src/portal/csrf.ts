/**
 * The promised-payment form's token: HMAC-SHA256 over the session it was shown for, the client address and the
 * time it was issued. A POST counts only with a token for the same session and address, younger than `maxAgeMs`:
 * a page on another site cannot produce one, and a token leaked to another address is useless.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class CsrfTokens {
  private readonly key: Buffer;

  /** `secret` unset: a random key for this process (tokens do not survive a restart or cross instances). */
  constructor(secret: string | undefined, private readonly maxAgeMs = 2 * 3_600_000, private readonly now: () => number = Date.now) {
    this.key = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  private mac(sessionId: number, address: string, issuedAt: number): Buffer {
    return createHmac('sha256', this.key).update(`tollgate-portal-csrf\u0000${sessionId}\u0000${address}\u0000${issuedAt}`).digest();
  }

  issue(sessionId: number, address: string): string {
    const issuedAt = Math.floor(this.now() / 1000);
    return `${issuedAt}.${this.mac(sessionId, address, issuedAt).toString('base64url')}`;
  }

  verify(token: unknown, sessionId: number, address: string): boolean {
    if (typeof token !== 'string' || token.length > 200) return false;
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return false;
    const issuedAt = Number(m[1]);
    const age = this.now() - issuedAt * 1000;
    if (age < -60_000 || age > this.maxAgeMs) return false;
    // Compared as text: a non-canonical base64url spelling of the right MAC is not the token that was issued.
    const given = Buffer.from(m[2] as string, 'latin1');
    const expected = Buffer.from(this.mac(sessionId, address, issuedAt).toString('base64url'), 'latin1');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
