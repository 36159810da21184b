import { describe, expect, it } from 'vitest';
import { md4 } from '../../../src/auth/md4.js';

const hex = (s: string): string => md4(Buffer.from(s, 'ascii')).toString('hex');

describe('md4', () => {
  // RFC 1320 Appendix A.5 "Test suite", retyped.
  it.each([
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      'e33b4ddc9c38f2199c3e7b164fcc0536',
    ],
  ])('RFC 1320 A.5: MD4("%s")', (input, digest) => {
    expect(hex(input)).toBe(digest);
  });

  // Padding edges (55/56 octets need one/two blocks, 64 exactly fills one). Expected values from
  // `openssl dgst -md4 -provider legacy` (OpenSSL 3.0, Debian 12) over n × "x".
  it.each([
    [55, '92f32bb82c95ad10e8f87ae58ab06807'],
    [56, '374d5f08103b7092c83b4626ebceffab'],
    [63, '2870452596e98fffd48332289b3472b9'],
    [64, 'b1abf956a5ae6f3221e5fe85e300fbb0'],
    [65, 'afc1a3308fc176a53238a09aeddec2e6'],
    [119, 'b55ae15e41e55643b0c3daad5e05c905'],
    [120, 'd8f9adfc41ec43552619606c70cfd287'],
    [1000, '4b4cacfefc79bf951c60620df38532dc'],
  ])('padding edge: %i octets', (n, digest) => {
    expect(hex('x'.repeat(n))).toBe(digest);
  });

  it('hashes a million octets (OpenSSL legacy provider: 10^6 × "a")', () => {
    expect(hex('a'.repeat(1_000_000))).toBe('bbce80cc6bb65e5c6745e30d4eeca9a4');
  });

  it('leaves its input untouched and returns 16 octets', () => {
    const input = Buffer.from('abc');
    const out = md4(input);
    expect(out).toHaveLength(16);
    expect(input.toString()).toBe('abc');
  });
});
