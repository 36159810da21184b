import { describe, expect, it } from 'vitest';
import { chapResponse, verifyChap } from '../../../src/auth/chap.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('chapResponse / verifyChap', () => {
  // Computed example: MD5(0x2a + "testpass" + 00 01 .. 0f); expected digest from
  // `printf '\x2atestpass\x00\x01...\x0f' | openssl dgst -md5`.
  const challenge = h('000102030405060708090a0b0c0d0e0f');
  const expected = h('2a 1d755184742ad0a351775abb14e11fff');

  it('computes ident + MD5(ident + secret + challenge)', () => {
    expect(chapResponse(0x2a, b('testpass'), challenge)).toEqual(expected);
  });

  it('verifies the computed example and rejects a wrong password', () => {
    expect(verifyChap(expected, challenge, b('testpass'))).toBe(true);
    expect(verifyChap(expected, challenge, b('testpasS'))).toBe(false);
  });

  it('rejects a response with any single bit flipped, including the ident', () => {
    for (let i = 0; i < expected.length; i++) {
      const bad = Buffer.from(expected);
      bad.writeUInt8(bad.readUInt8(i) ^ 0x01, i);
      expect(verifyChap(bad, challenge, b('testpass'))).toBe(false);
    }
  });

  it('rejects malformed input without throwing', () => {
    expect(verifyChap(expected.subarray(0, 16), challenge, b('testpass'))).toBe(false);
    expect(verifyChap(Buffer.concat([expected, Buffer.of(0)]), challenge, b('testpass'))).toBe(false);
    expect(verifyChap(Buffer.alloc(0), challenge, b('testpass'))).toBe(false);
    expect(verifyChap(expected, Buffer.alloc(0), b('testpass'))).toBe(false);
    expect(verifyChap(chapResponse(0x2a, Buffer.alloc(0), challenge), challenge, Buffer.alloc(0))).toBe(false);
  });

  it('refuses an ident outside 0..255', () => {
    expect(() => chapResponse(256, b('x'), challenge)).toThrow(RangeError);
    expect(() => chapResponse(-1, b('x'), challenge)).toThrow(RangeError);
    expect(() => chapResponse(1.5, b('x'), challenge)).toThrow(RangeError);
  });

  // RFC 2865 §7.2 (flopsy, CHAP ID 22): the Request Authenticator is the challenge. The Access-Request is
  //   01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e 0d 33 67 a2 01 08 66 6c 6f 70 73 79
  //   03 13 16 e9 75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04 06 c0 a8 01 10 ...
  // The section gives the shared secret (xyzzy5461) but, as far as could be checked, no password for flopsy;
  // "arctangent" (nemo's password in §7.1) reproduces the printed CHAP-Password exactly.
  it('RFC 2865 §7.2: CHAP-Password verifies against the Request Authenticator with "arctangent"', () => {
    const requestAuthenticator = h('2a ee 86 f0 8d 0d 55 96 9c a5 97 8e 0d 33 67 a2');
    const chapPassword = h('16 e9 75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75');
    expect(chapPassword.readUInt8(0)).toBe(22);
    expect(verifyChap(chapPassword, requestAuthenticator, b('arctangent'))).toBe(true);
    expect(chapResponse(22, b('arctangent'), requestAuthenticator)).toEqual(chapPassword);
    expect(verifyChap(chapPassword, requestAuthenticator, b('flopsy'))).toBe(false);
  });

  // Real client bytes: FreeRADIUS 3.2.1 `radtest -t chap bob hello 127.0.0.1:18121 0 testing123` (radclient),
  // captured on this machine. No CHAP-Challenge, so the Request Authenticator is the challenge:
  //   01 da 00 4a 6e f2 6a 66 da 61 a5 97 e1 7a db aa 4c 7c 21 88 01 05 62 6f 62
  //   03 13 84 44 49 53 62 cd e6 6d d9 05 05 da 4f ae fe 61 3a 04 06 7f 00 00 01 05 06 00 00 00 00 50 12 ...
  it('radclient: verifies the CHAP-Password FreeRADIUS computed for bob/hello', () => {
    const requestAuthenticator = h('6e f2 6a 66 da 61 a5 97 e1 7a db aa 4c 7c 21 88');
    const chapPassword = h('84 44 49 53 62 cd e6 6d d9 05 05 da 4f ae fe 61 3a');
    expect(verifyChap(chapPassword, requestAuthenticator, b('hello'))).toBe(true);
    expect(verifyChap(chapPassword, requestAuthenticator, b('hellO'))).toBe(false);
  });
});
