import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEscapedText, octetsToText, textToOctets } from '../../../src/radius/octets.js';

describe('RADIUS string octets ⇄ exact text', () => {
  it('leaves real logins alone, Windows DOMAIN\\user and CORP\\xavier included', () => {
    for (const plain of ['alice', 'bob@isp.example', 'DOMAIN\\user', 'CORP\\xavier', 'a\\xAB', 'пользователь', 'aa:bb:cc:dd:ee:ff', '']) {
      expect(octetsToText(Buffer.from(plain))).toBe(plain);
      expect(textToOctets(plain)).toEqual(Buffer.from(plain));
    }
  });

  it('escapes NUL, invalid UTF-8 and text that would read as an escape', () => {
    expect(octetsToText(Buffer.from([0x61, 0x00, 0x62]))).toBe('a\\x00b');
    expect(octetsToText(Buffer.from([0x69, 0xff, 0x41]))).toBe('i\\xffA');
    expect(octetsToText(Buffer.from('a\\xffA'))).toBe('a\\\\xffA');
    expect(octetsToText(Buffer.from('x\\\\y'))).toBe('x\\\\\\\\y');
    // A lone surrogate encoded in UTF-8 (ED A0 80) and an overlong NUL (C0 80) are not valid UTF-8.
    expect(octetsToText(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80');
    expect(octetsToText(Buffer.from([0xc0, 0x80]))).toBe('\\xc0\\x80');
    // Valid characters stay readable inside an escaped string.
    expect(octetsToText(Buffer.concat([Buffer.from('ü'), Buffer.from([0xff])]))).toBe('ü\\xff');
  });

  it('is one-to-one: every byte string round-trips, and the text never holds NUL or invalid UTF-16', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const octets = Buffer.from(bytes);
        const text = octetsToText(octets);
        expect(textToOctets(text)).toEqual(octets);
        expect(text.includes('\u0000')).toBe(false);
        expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text); // no lone surrogates
        if (!isEscapedText(text)) expect(Buffer.from(text, 'utf8')).toEqual(octets);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('\\', 'x', 'f', '0', 'a', '\u00ff', '\u0000') }), (s) => {
        const octets = Buffer.from(s, 'utf8');
        expect(textToOctets(octetsToText(octets))).toEqual(octets);
      }),
      { numRuns: 2000 },
    );
  });
});
