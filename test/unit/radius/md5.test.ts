/**
 * md5.ts and the crypto.ts functions built on it agree with node:crypto's MD5 and HMAC-MD5 (a reference built here
 * from createHash/createHmac), for any input length, any split into update() calls and any secret length.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacMd5, hmacMd5Into, md5, Md5 } from '../../../src/radius/md5.js';
import {
  encodeReply,
  encodeRequest,
  hidePassword,
  hideSalted,
  parsePacket,
  unhidePassword,
  unhideSalted,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
} from '../../../src/radius/index.js';

const bytes = (max: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));
const refMd5 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('md5')).digest();

describe('md5.ts', () => {
  it('matches node:crypto for every length 0..300 and the RFC 1321 test suite', () => {
    for (let n = 0; n <= 300; n++) {
      const data = Buffer.alloc(n, n % 251);
      expect(md5(data).toString('hex')).toBe(refMd5(data).toString('hex'));
    }
    expect(md5(Buffer.from('')).toString('hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5(Buffer.from('abc')).toString('hex')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5(Buffer.from('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toString('hex')).toBe(
      '57edf4a22be3c955ac49da2e2107b67a',
    );
  });

  it('matches node:crypto for any split of the input into update() ranges', () => {
    fc.assert(
      fc.property(bytes(400), fc.array(fc.nat(), { maxLength: 6 }), (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const ctx = new Md5().reset();
        let from = 0;
        for (const p of [...points, data.length]) {
          ctx.update(data, from, p);
          from = p;
        }
        expect(ctx.digest().equals(refMd5(data))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('HMAC-MD5 matches node:crypto for secrets of any length (above 64 octets they are hashed first)', () => {
    fc.assert(
      fc.property(bytes(100), bytes(300), (secret, data) => {
        expect(hmacMd5(secret, data).equals(createHmac('md5', secret).update(data).digest())).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes the HMAC over one of its own inputs, and notices a secret changed in place', () => {
    const secret = Buffer.from('first secret');
    const buf = Buffer.from('0123456789abcdef0123456789abcdef');
    const expected = createHmac('md5', secret).update(buf).digest();
    hmacMd5Into(secret, [buf.subarray(0, 10), buf.subarray(10)], buf, 8);
    expect(buf.subarray(8, 24).equals(expected)).toBe(true);
    secret.write('other', 0);
    expect(hmacMd5(secret, Buffer.from('x')).equals(createHmac('md5', secret).update('x').digest())).toBe(true);
  });
});

describe('crypto.ts against references built from node:crypto', () => {
  /** RFC 2865 §5.2 done the obvious way. */
  function refHide(password: Buffer, secret: Buffer, iv: Buffer): Buffer {
    const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
    password.copy(padded);
    let prev = iv;
    for (let i = 0; i < padded.length; i += 16) {
      const b = refMd5(secret, prev);
      for (let j = 0; j < 16; j++) padded[i + j] = (padded[i + j] as number) ^ (b[j] as number);
      prev = padded.subarray(i, i + 16);
    }
    return padded;
  }

  it('hides and reveals User-Password, Tunnel-Password and MPPE keys', () => {
    fc.assert(
      fc.property(bytes(128), bytes(40), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 2, maxLength: 2 }), (pw, secret, auth, salt) => {
        const authenticator = Buffer.from(auth);
        const hidden = hidePassword(pw, secret, authenticator);
        expect(hidden.equals(refHide(pw, secret, authenticator))).toBe(true);
        let end = pw.length;
        while (end > 0 && pw[end - 1] === 0) end--;
        expect(unhidePassword(hidden, secret, authenticator).equals(pw.subarray(0, end))).toBe(true);
        const data = pw.subarray(0, 100);
        const salted = hideSalted(data, secret, authenticator, Buffer.from(salt));
        const s = Buffer.from([(salt[0] as number) | 0x80, salt[1] as number]);
        const plain = Buffer.concat([Buffer.from([data.length]), data]);
        expect(salted.equals(Buffer.concat([s, refHide(plain, secret, Buffer.concat([authenticator, s]))]))).toBe(true);
        expect(unhideSalted(salted, secret, authenticator).equals(data)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('signs and verifies requests and replies as RFC 2865/2866/3579 describe', () => {
    const attrList = fc.array(
      fc.record({ type: fc.integer({ min: 1, max: 79 }), value: bytes(60) }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(bytes(40), attrList, fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (secret, attrs, auth, ma) => {
        const requestAuth = Buffer.from(auth);
        // Access-Request: Message-Authenticator = HMAC over the packet with its own authenticator and MA zeroed.
        const request = encodeRequest(1, 7, attrs, secret, { messageAuthenticator: true, authenticator: requestAuth });
        const zeroed = Buffer.from(request);
        zeroed.fill(0, 22, 38);
        expect(request.subarray(22, 38).equals(createHmac('md5', secret).update(zeroed).digest())).toBe(true);
        expect(verifyMessageAuthenticator(parsePacket(request), secret, null)).toBe(true);
        // Accounting-Request: authenticator = MD5(packet with 16 zero octets | secret), MA over the zero one.
        const acct = encodeRequest(4, 8, attrs, secret, { messageAuthenticator: ma });
        const acctZero = Buffer.from(acct);
        acctZero.fill(0, 4, 20);
        expect(acct.subarray(4, 20).equals(refMd5(acctZero, secret))).toBe(true);
        expect(verifyRequestAuthenticator(parsePacket(acct), secret)).toBe(true);
        if (ma) expect(verifyMessageAuthenticator(parsePacket(acct), secret, Buffer.alloc(16))).toBe(true);
        // Reply: Response Authenticator = MD5(packet with the request authenticator | secret).
        const reply = encodeReply(2, 7, requestAuth, attrs, secret, { messageAuthenticator: ma });
        const withRequestAuth = Buffer.from(reply);
        requestAuth.copy(withRequestAuth, 4);
        expect(reply.subarray(4, 20).equals(refMd5(withRequestAuth, secret))).toBe(true);
        const parsed = parsePacket(reply);
        expect(verifyResponseAuthenticator(parsed, requestAuth, secret)).toBe(true);
        if (ma) {
          expect(verifyMessageAuthenticator(parsed, secret, requestAuth)).toBe(true);
          expect(verifyMessageAuthenticator(parsed, Buffer.concat([secret, Buffer.from('x')]), requestAuth)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an authenticator that is not 16 octets (it would leak uninitialised memory)', () => {
    expect(() => encodeReply(2, 0, Buffer.alloc(8), [], Buffer.from('s'), { messageAuthenticator: false })).toThrow(/authenticator of 8 octets/);
    expect(() => encodeRequest(1, 0, [], Buffer.from('s'), { messageAuthenticator: false, authenticator: Buffer.alloc(4) })).toThrow(
      /authenticator of 4 octets/,
    );
  });
});
