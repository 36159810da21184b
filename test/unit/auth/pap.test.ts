import { describe, expect, it } from 'vitest';
import { verifyPap } from '../../../src/auth/pap.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('verifyPap', () => {
  // RFC 2865 §7.1: nemo's User-Password unhides to "arctangent".
  it('accepts the same password', () => {
    expect(verifyPap(b('arctangent'), b('arctangent'))).toBe(true);
  });

  it('rejects a password differing in one octet', () => {
    expect(verifyPap(b('arctangenT'), b('arctangent'))).toBe(false);
  });

  it('rejects prefixes and extensions without throwing on the length mismatch', () => {
    expect(verifyPap(b('arctan'), b('arctangent'))).toBe(false);
    expect(verifyPap(b('arctangent!'), b('arctangent'))).toBe(false);
  });

  it('never matches an empty password on either side', () => {
    expect(verifyPap(Buffer.alloc(0), Buffer.alloc(0))).toBe(false);
    expect(verifyPap(Buffer.alloc(0), b('arctangent'))).toBe(false);
    expect(verifyPap(b('arctangent'), Buffer.alloc(0))).toBe(false);
  });

  it('compares octets, not text (non-UTF-8 bytes stay distinct)', () => {
    expect(verifyPap(Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff]))).toBe(false);
    expect(verifyPap(Buffer.from([0xff, 0xfe]), Buffer.from([0xff, 0xfe]))).toBe(true);
  });
});
