/**
 * MD4 (RFC 1320), written out because Node 20's OpenSSL 3 keeps it in the legacy provider, which Node does
 * not load, so `createHash('md4')` throws. MS-CHAPv2 fixes MD4 for the NT password hash and its hash
 * (RFC 2759 §8.3–8.4); MD4 is broken as a general hash and must not be used for anything else.
 */

const BLOCK = 64;

/** MD4 digest (16 octets) of `data`. */
export function md4(data: Buffer): Buffer {
  // Pad with 0x80, zeros up to 56 mod 64, then the bit length as 64-bit little-endian (RFC 1320 §3.1–3.2).
  const length = Math.ceil((data.length + 9) / BLOCK) * BLOCK;
  const padded = Buffer.alloc(length);
  data.copy(padded);
  padded.writeUInt8(0x80, data.length);
  const bits = data.length * 8;
  padded.writeUInt32LE(bits >>> 0, length - 8);
  padded.writeUInt32LE(Math.floor(bits / 0x1_0000_0000), length - 4);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;

  for (let offset = 0; offset < length; offset += BLOCK) {
    const x = (k: number): number => padded.readUInt32LE(offset + 4 * k);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;

    // Round 1 (§3.4): F(x,y,z) = xy v not(x)z, words in order, shifts 3 7 11 19.
    for (let k = 0; k < 16; k += 4) {
      a = rotl(a + f(b, c, d) + x(k), 3);
      d = rotl(d + f(a, b, c) + x(k + 1), 7);
      c = rotl(c + f(d, a, b) + x(k + 2), 11);
      b = rotl(b + f(c, d, a) + x(k + 3), 19);
    }
    // Round 2: G(x,y,z) = xy v xz v yz plus 0x5A827999, words 0 4 8 12, 1 5 9 13, ..., shifts 3 5 9 13.
    for (let k = 0; k < 4; k++) {
      a = rotl(a + g(b, c, d) + x(k) + 0x5a827999, 3);
      d = rotl(d + g(a, b, c) + x(k + 4) + 0x5a827999, 5);
      c = rotl(c + g(d, a, b) + x(k + 8) + 0x5a827999, 9);
      b = rotl(b + g(c, d, a) + x(k + 12) + 0x5a827999, 13);
    }
    // Round 3: H(x,y,z) = x xor y xor z plus 0x6ED9EBA1, words 0 8 4 12, 2 10 6 14, 1 9 5 13, 3 11 7 15.
    for (const k of [0, 2, 1, 3]) {
      a = rotl(a + h(b, c, d) + x(k) + 0x6ed9eba1, 3);
      d = rotl(d + h(a, b, c) + x(k + 8) + 0x6ed9eba1, 9);
      c = rotl(c + h(d, a, b) + x(k + 4) + 0x6ed9eba1, 11);
      b = rotl(b + h(c, d, a) + x(k + 12) + 0x6ed9eba1, 15);
    }

    a = (a + aa) >>> 0;
    b = (b + bb) >>> 0;
    c = (c + cc) >>> 0;
    d = (d + dd) >>> 0;
  }

  const out = Buffer.allocUnsafe(16);
  out.writeUInt32LE(a, 0);
  out.writeUInt32LE(b, 4);
  out.writeUInt32LE(c, 8);
  out.writeUInt32LE(d, 12);
  return out;
}

// Sums may exceed 32 bits; `<<` and `>>>` reduce them modulo 2^32, which is the addition MD4 specifies.
function rotl(v: number, s: number): number {
  return (v << s) | (v >>> (32 - s));
}

function f(x: number, y: number, z: number): number {
  return (x & y) | (~x & z);
}

function g(x: number, y: number, z: number): number {
  return (x & y) | (x & z) | (y & z);
}

function h(x: number, y: number, z: number): number {
  return x ^ y ^ z;
}
