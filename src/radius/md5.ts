/**
 * MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) for RADIUS's short inputs. node:crypto costs about 1-2 µs per hash object
 * (and crypto.hash() about 1 µs per call) whatever the input, while a RADIUS packet is a few 64-octet blocks: this
 * runs the blocks in JavaScript (~0.2 µs each), hashes several buffers without concatenating them, and starts
 * HMAC from the key's saved inner and outer states. Tested against node:crypto (test/unit/radius/md5.test.ts).
 * MD5 has no data-dependent branches, so this adds no timing channel.
 */

const INIT = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);

export class Md5 {
  private readonly h = new Int32Array(4);
  private readonly block = Buffer.alloc(64);
  private used = 0;
  private length = 0;

  /** Start a hash, or resume from state() saved after `length` octets (a whole number of blocks). */
  reset(state: Int32Array = INIT, length = 0): this {
    this.h.set(state);
    this.used = 0;
    this.length = length;
    return this;
  }

  update(data: Buffer, start = 0, end = data.length): this {
    let p = start;
    const blk = this.block;
    this.length += end - start;
    if (this.used > 0) {
      let u = this.used;
      while (u < 64 && p < end) blk[u++] = data[p++] as number;
      this.used = u;
      if (u < 64) return this;
      block(this.h, blk, 0);
      this.used = 0;
    }
    for (; end - p >= 64; p += 64) block(this.h, data, p);
    let u = 0;
    while (p < end) blk[u++] = data[p++] as number;
    this.used = u;
    return this;
  }

  /** The state after a whole number of blocks, to resume from with reset(). */
  state(): Int32Array {
    return Int32Array.from(this.h);
  }

  /** Write the 16-octet digest to out[offset..]; `out` may be one of the inputs (everything was read already). */
  digestInto(out: Buffer, offset: number): void {
    const b = this.block;
    const bits = this.length * 8;
    let u = this.used;
    b[u++] = 0x80;
    if (u > 56) {
      while (u < 64) b[u++] = 0;
      block(this.h, b, 0);
      u = 0;
    }
    while (u < 56) b[u++] = 0;
    const lo = bits >>> 0;
    const hi = Math.floor(bits / 0x100000000);
    b[56] = lo;
    b[57] = lo >>> 8;
    b[58] = lo >>> 16;
    b[59] = lo >>> 24;
    b[60] = hi;
    b[61] = hi >>> 8;
    b[62] = hi >>> 16;
    b[63] = hi >>> 24;
    block(this.h, b, 0);
    const h = this.h;
    for (let i = 0; i < 4; i++) {
      const w = h[i] as number;
      const o = offset + i * 4;
      out[o] = w;
      out[o + 1] = w >>> 8;
      out[o + 2] = w >>> 16;
      out[o + 3] = w >>> 24;
    }
    this.used = 0;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(16);
    this.digestInto(out, 0);
    return out;
  }
}

/** One 64-octet block at m[p..p+64) into state h. */
function block(h: Int32Array, m: Buffer, p: number): void {
  const x0 = (m[p + 0] as number) | ((m[p + 1] as number) << 8) | ((m[p + 2] as number) << 16) | ((m[p + 3] as number) << 24);
  const x1 = (m[p + 4] as number) | ((m[p + 5] as number) << 8) | ((m[p + 6] as number) << 16) | ((m[p + 7] as number) << 24);
  const x2 = (m[p + 8] as number) | ((m[p + 9] as number) << 8) | ((m[p + 10] as number) << 16) | ((m[p + 11] as number) << 24);
  const x3 = (m[p + 12] as number) | ((m[p + 13] as number) << 8) | ((m[p + 14] as number) << 16) | ((m[p + 15] as number) << 24);
  const x4 = (m[p + 16] as number) | ((m[p + 17] as number) << 8) | ((m[p + 18] as number) << 16) | ((m[p + 19] as number) << 24);
  const x5 = (m[p + 20] as number) | ((m[p + 21] as number) << 8) | ((m[p + 22] as number) << 16) | ((m[p + 23] as number) << 24);
  const x6 = (m[p + 24] as number) | ((m[p + 25] as number) << 8) | ((m[p + 26] as number) << 16) | ((m[p + 27] as number) << 24);
  const x7 = (m[p + 28] as number) | ((m[p + 29] as number) << 8) | ((m[p + 30] as number) << 16) | ((m[p + 31] as number) << 24);
  const x8 = (m[p + 32] as number) | ((m[p + 33] as number) << 8) | ((m[p + 34] as number) << 16) | ((m[p + 35] as number) << 24);
  const x9 = (m[p + 36] as number) | ((m[p + 37] as number) << 8) | ((m[p + 38] as number) << 16) | ((m[p + 39] as number) << 24);
  const x10 = (m[p + 40] as number) | ((m[p + 41] as number) << 8) | ((m[p + 42] as number) << 16) | ((m[p + 43] as number) << 24);
  const x11 = (m[p + 44] as number) | ((m[p + 45] as number) << 8) | ((m[p + 46] as number) << 16) | ((m[p + 47] as number) << 24);
  const x12 = (m[p + 48] as number) | ((m[p + 49] as number) << 8) | ((m[p + 50] as number) << 16) | ((m[p + 51] as number) << 24);
  const x13 = (m[p + 52] as number) | ((m[p + 53] as number) << 8) | ((m[p + 54] as number) << 16) | ((m[p + 55] as number) << 24);
  const x14 = (m[p + 56] as number) | ((m[p + 57] as number) << 8) | ((m[p + 58] as number) << 16) | ((m[p + 59] as number) << 24);
  const x15 = (m[p + 60] as number) | ((m[p + 61] as number) << 8) | ((m[p + 62] as number) << 16) | ((m[p + 63] as number) << 24);
  let a = h[0] as number;
  let b = h[1] as number;
  let c = h[2] as number;
  let d = h[3] as number;
    a = ((a + ((b & c) | (~b & d)) + x0 + 0xd76aa478) | 0);
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = ((d + ((a & b) | (~a & c)) + x1 + 0xe8c7b756) | 0);
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = ((c + ((d & a) | (~d & b)) + x2 + 0x242070db) | 0);
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = ((b + ((c & d) | (~c & a)) + x3 + 0xc1bdceee) | 0);
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = ((a + ((b & c) | (~b & d)) + x4 + 0xf57c0faf) | 0);
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = ((d + ((a & b) | (~a & c)) + x5 + 0x4787c62a) | 0);
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = ((c + ((d & a) | (~d & b)) + x6 + 0xa8304613) | 0);
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = ((b + ((c & d) | (~c & a)) + x7 + 0xfd469501) | 0);
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = ((a + ((b & c) | (~b & d)) + x8 + 0x698098d8) | 0);
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = ((d + ((a & b) | (~a & c)) + x9 + 0x8b44f7af) | 0);
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = ((c + ((d & a) | (~d & b)) + x10 + 0xffff5bb1) | 0);
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = ((b + ((c & d) | (~c & a)) + x11 + 0x895cd7be) | 0);
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = ((a + ((b & c) | (~b & d)) + x12 + 0x6b901122) | 0);
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = ((d + ((a & b) | (~a & c)) + x13 + 0xfd987193) | 0);
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = ((c + ((d & a) | (~d & b)) + x14 + 0xa679438e) | 0);
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = ((b + ((c & d) | (~c & a)) + x15 + 0x49b40821) | 0);
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = ((a + ((b & d) | (c & ~d)) + x1 + 0xf61e2562) | 0);
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = ((d + ((a & c) | (b & ~c)) + x6 + 0xc040b340) | 0);
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = ((c + ((d & b) | (a & ~b)) + x11 + 0x265e5a51) | 0);
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = ((b + ((c & a) | (d & ~a)) + x0 + 0xe9b6c7aa) | 0);
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = ((a + ((b & d) | (c & ~d)) + x5 + 0xd62f105d) | 0);
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = ((d + ((a & c) | (b & ~c)) + x10 + 0x02441453) | 0);
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = ((c + ((d & b) | (a & ~b)) + x15 + 0xd8a1e681) | 0);
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = ((b + ((c & a) | (d & ~a)) + x4 + 0xe7d3fbc8) | 0);
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = ((a + ((b & d) | (c & ~d)) + x9 + 0x21e1cde6) | 0);
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = ((d + ((a & c) | (b & ~c)) + x14 + 0xc33707d6) | 0);
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = ((c + ((d & b) | (a & ~b)) + x3 + 0xf4d50d87) | 0);
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = ((b + ((c & a) | (d & ~a)) + x8 + 0x455a14ed) | 0);
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = ((a + ((b & d) | (c & ~d)) + x13 + 0xa9e3e905) | 0);
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = ((d + ((a & c) | (b & ~c)) + x2 + 0xfcefa3f8) | 0);
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = ((c + ((d & b) | (a & ~b)) + x7 + 0x676f02d9) | 0);
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = ((b + ((c & a) | (d & ~a)) + x12 + 0x8d2a4c8a) | 0);
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = ((a + (b ^ c ^ d) + x5 + 0xfffa3942) | 0);
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = ((d + (a ^ b ^ c) + x8 + 0x8771f681) | 0);
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = ((c + (d ^ a ^ b) + x11 + 0x6d9d6122) | 0);
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = ((b + (c ^ d ^ a) + x14 + 0xfde5380c) | 0);
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = ((a + (b ^ c ^ d) + x1 + 0xa4beea44) | 0);
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = ((d + (a ^ b ^ c) + x4 + 0x4bdecfa9) | 0);
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = ((c + (d ^ a ^ b) + x7 + 0xf6bb4b60) | 0);
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = ((b + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0);
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = ((a + (b ^ c ^ d) + x13 + 0x289b7ec6) | 0);
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = ((d + (a ^ b ^ c) + x0 + 0xeaa127fa) | 0);
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = ((c + (d ^ a ^ b) + x3 + 0xd4ef3085) | 0);
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = ((b + (c ^ d ^ a) + x6 + 0x04881d05) | 0);
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = ((a + (b ^ c ^ d) + x9 + 0xd9d4d039) | 0);
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = ((d + (a ^ b ^ c) + x12 + 0xe6db99e5) | 0);
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = ((c + (d ^ a ^ b) + x15 + 0x1fa27cf8) | 0);
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = ((b + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0);
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = ((a + (c ^ (b | ~d)) + x0 + 0xf4292244) | 0);
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = ((d + (b ^ (a | ~c)) + x7 + 0x432aff97) | 0);
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = ((c + (a ^ (d | ~b)) + x14 + 0xab9423a7) | 0);
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = ((b + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0);
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = ((a + (c ^ (b | ~d)) + x12 + 0x655b59c3) | 0);
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = ((d + (b ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0);
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = ((c + (a ^ (d | ~b)) + x10 + 0xffeff47d) | 0);
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = ((b + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0);
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = ((a + (c ^ (b | ~d)) + x8 + 0x6fa87e4f) | 0);
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = ((d + (b ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0);
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = ((c + (a ^ (d | ~b)) + x6 + 0xa3014314) | 0);
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = ((b + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0);
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = ((a + (c ^ (b | ~d)) + x4 + 0xf7537e82) | 0);
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = ((d + (b ^ (a | ~c)) + x11 + 0xbd3af235) | 0);
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = ((c + (a ^ (d | ~b)) + x2 + 0x2ad7d2bb) | 0);
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = ((b + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0);
    b = (((b << 21) | (b >>> 11)) + c) | 0;
  h[0] = ((h[0] as number) + a) | 0;
  h[1] = ((h[1] as number) + b) | 0;
  h[2] = ((h[2] as number) + c) | 0;
  h[3] = ((h[3] as number) + d) | 0;
}

/** Scratch context: every function here runs synchronously start to finish, so it is never shared. */
const scratch = new Md5();

/** MD5 of the concatenation of `parts`, without concatenating them. */
export function md5(...parts: Buffer[]): Buffer {
  scratch.reset();
  for (const part of parts) scratch.update(part);
  return scratch.digest();
}

/** A secret prepared for HMAC-MD5: the states after its inner and outer pad blocks. */
export interface HmacMd5Key {
  readonly secret: Buffer;
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

const keys = new WeakMap<Buffer, HmacMd5Key>();

/** The prepared key for `secret`, cached per Buffer (and re-derived if its octets were changed in place). */
export function hmacMd5Key(secret: Buffer): HmacMd5Key {
  const cached = keys.get(secret);
  if (cached !== undefined && sameOctets(cached.secret, secret)) return cached;
  const key = secret.length > 64 ? md5(secret) : secret;
  const pad = Buffer.alloc(64);
  key.copy(pad);
  for (let i = 0; i < 64; i++) pad[i] = (pad[i] as number) ^ 0x36;
  const inner = scratch.reset().update(pad).state();
  for (let i = 0; i < 64; i++) pad[i] = (pad[i] as number) ^ 0x36 ^ 0x5c;
  const outer = scratch.reset().update(pad).state();
  const entry: HmacMd5Key = { secret: Buffer.from(secret), inner, outer };
  keys.set(secret, entry);
  return entry;
}

function sameOctets(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const innerDigest = Buffer.alloc(16);
let current: HmacMd5Key | undefined;

/** The shared context, reset: feed it with update() and finish with digestInto() before any other call here. */
export function md5Begin(): Md5 {
  return scratch.reset();
}

/** The shared context started as HMAC-MD5 with `secret`: feed it with update(), then call hmacMd5End(). */
export function hmacMd5Begin(secret: Buffer): Md5 {
  const key = hmacMd5Key(secret);
  current = key;
  return scratch.reset(key.inner, 64);
}

/** Finish the HMAC begun by hmacMd5Begin(), writing it to out[offset..offset+16) (`out` may be an input). */
export function hmacMd5End(out: Buffer, offset: number): void {
  const key = current;
  if (key === undefined) throw new Error('hmacMd5End() without hmacMd5Begin()');
  current = undefined;
  scratch.digestInto(innerDigest, 0);
  scratch.reset(key.outer, 64).update(innerDigest).digestInto(out, offset);
}

/** HMAC-MD5(secret, concatenation of parts) written to out[offset..offset+16); `out` may be one of the parts. */
export function hmacMd5Into(secret: Buffer, parts: readonly Buffer[], out: Buffer, offset: number): void {
  const ctx = hmacMd5Begin(secret);
  for (const part of parts) ctx.update(part);
  hmacMd5End(out, offset);
}

/** HMAC-MD5(secret, data). */
export function hmacMd5(secret: Buffer, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(16);
  hmacMd5Into(secret, [data], out, 0);
  return out;
}
