/**
 * The operators' credentials (docs/console.md, Identities), below both the admin API and the CLI that use them:
 * password hashes (scrypt, stored as `scrypt$N$r$p$salt$hash` so the parameters can be raised later and old
 * hashes still verify), TOTP second factors (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps, ±1 step accepted; the
 * caller stores the step used so a code works once), API tokens (`tg_<id>_<secret>`, only the SHA-256 of the
 * secret is stored) and the random values of browser sessions. Every comparison of a secret is in constant time.
 */
import { createHash, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The cost of new password hashes: N=2^15, r=8, p=1 (32 MiB, ~50–100 ms), a 16-byte salt, a 64-byte key. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 64 } as const;

/** The shortest password an operator may have (the API and the CLI refuse shorter ones). */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest (scrypt takes any length; this bounds the work one request can ask for). */
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** 128·N·r bytes of memory, with room: Node's default limit (32 MiB) is exactly the default cost's need. */
const maxmem = (N: number, r: number) => 256 * N * r;

/** A new hash of `password` with a fresh salt, in the stored format. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await scrypt(password, salt, keyBytes, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds a stored value could not exceed without someone writing the table by hand: never an unbounded cost.
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 4 || key.length < 16 || key.length > 128) return undefined;
  return { N, r, p, salt, key };
}

/** True when `stored` is a hash in the format (the CLI and the store check it before writing one). */
export function isPasswordHash(stored: string): boolean {
  return parseHash(stored) !== undefined;
}

/** A hash no password matches, verified for an unknown login so that it costs what a wrong password costs. */
const DUMMY_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(64).toString('base64url')}`;

/**
 * Whether `password` matches `stored`, in constant time for the key. `stored` undefined (no such operator) runs
 * the same work against a hash nothing matches and answers false.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = parseHash(stored ?? DUMMY_HASH) ?? parseHash(DUMMY_HASH)!;
  const key = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: maxmem(parsed.N, parsed.r) });
  return timingSafeEqual(key, parsed.key) && stored !== undefined && parseHash(stored) !== undefined;
}

// ---- TOTP (RFC 6238 over RFC 4226 HOTP) ----

export const TOTP = { stepSeconds: 30, digits: 6, window: 1, secretBytes: 20 } as const;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (what authenticator apps take). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Base32 (case-insensitive, spaces and padding ignored) → bytes; undefined for any other character. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new TOTP secret, base32 (160 bits, RFC 4226's recommendation). */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(TOTP.secretBytes));
}

/** HOTP (RFC 4226 §5.3): the code of `counter` under `key`, `digits` long, zero-padded. */
export function hotp(key: Uint8Array, counter: number, digits: number = TOTP.digits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

/** The time step of a Unix time in seconds. */
export function totpStep(unixSeconds: number): number {
  return Math.floor(unixSeconds / TOTP.stepSeconds);
}

/**
 * The step whose code `code` is, within ±1 step of `unixSeconds` and after `lastStep` (a code is used once), or
 * undefined. Every candidate is compared, in constant time, whatever matched first.
 */
export function verifyTotp(secret: string, code: string, unixSeconds: number, lastStep: number | null): number | undefined {
  const key = base32Decode(secret);
  if (!key || key.length === 0) return undefined;
  const given = Buffer.from(/^\d{6}$/.test(code) ? code : '------', 'utf8');
  const now = totpStep(unixSeconds);
  let matched: number | undefined;
  for (let step = now - TOTP.window; step <= now + TOTP.window; step++) {
    const expected = Buffer.from(hotp(key, step), 'utf8');
    if (timingSafeEqual(expected, given) && matched === undefined && (lastStep === null || step > lastStep)) matched = step;
  }
  return matched;
}

/** The otpauth:// URI an authenticator app scans (Key Uri Format): issuer Tollgate, the operator's login. */
export function totpUri(secret: string, login: string, issuer = 'Tollgate'): string {
  const label = encodeURIComponent(`${issuer}:${login}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${TOTP.digits}&period=${TOTP.stepSeconds}`;
}

// ---- API tokens and session values ----

/** SHA-256, hex: what the store keeps of a token secret, a session cookie or a CSRF token. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Equal SHA-256 hex digests, in constant time (both sides are digests of the same length). */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

/** A random value for a cookie, a CSRF token or a token secret: 32 bytes, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A console session's CSRF token: HMAC-SHA256 of a fixed label keyed by the session cookie, base64url. Derived,
 * not random, so that GET /auth/me can answer it again from the cookie (a reloaded console keeps working) while
 * the store keeps only its digest; the cookie is HttpOnly and the HMAC does not reveal it.
 */
export function csrfTokenFor(sessionCookie: string): string {
  return createHmac('sha256', sessionCookie).update('tollgate console csrf v1').digest('base64url');
}

/** The text an operator is shown once: `tg_<id>_<secret>`. */
export function formatApiToken(id: number, secret: string): string {
  return `tg_${id}_${secret}`;
}

const API_TOKEN = /^tg_([1-9]\d{0,15})_([A-Za-z0-9_-]{43})$/;

/** The id and secret of an API token's text, or undefined when it is not one (then it may be the admin token). */
export function parseApiToken(text: string): { readonly id: number; readonly secret: string } | undefined {
  const m = API_TOKEN.exec(text);
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? { id, secret: m[2]! } : undefined;
}
