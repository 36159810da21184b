/**
 * The shared address parser against node:net (which the schema may not import: it stays pure) on the forms that
 * reach it, and the CIDR rules every entry point applies.
 */
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressText, ipFamily, parseAddress, parseCidr } from '../../../src/schema/address.js';

const SAMPLES = [
  '0.0.0.0', '192.0.2.1', '255.255.255.255', '256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '1..2.3', ' 1.2.3.4', '1.2.3.4 ',
  '::', '::1', '1::', '2001:db8::10', '2001:DB8::10', '2001:db8:0:0:0:0:0:1', '2001:db8::1::2', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7::', '::ffff:192.0.2.1', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:1.2.3.4', '::1.2.3.4', '12345::', 'g::1', ':1', '1:', '', 'example.com',
];

describe('parseAddress', () => {
  it.each(SAMPLES)('%j has the family node:net gives it', (text) => {
    expect(ipFamily(text)).toBe(isIP(text));
  });

  it('refuses a zone index (the NAS table matches numbers, not interfaces)', () => {
    expect(isIP('fe80::1%eth0')).toBe(6);
    expect(parseAddress('fe80::1%eth0')).toBeUndefined();
  });

  it('yields the numeric value', () => {
    expect(parseAddress('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseAddress('::ffff:192.0.2.1')).toEqual({ family: 6, value: 0xffffc0000201n });
    expect(addressText(6, parseAddress('2001:0db8:0000:0000:0000:0000:0000:0010')!.value)).toBe('2001:db8::10');
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['192.0.2.1', true],
    ['192.0.2.1/32', true],
    ['2001:db8::/32', true],
    ['10.0.0.1/8', false],
    ['10.0.0.0/33', false],
    ['10.0.0.0/08', false],
    ['10.0.0.0/', false],
    ['2001:db8::1/32', false],
  ])('%s → %s', (text, ok) => {
    expect(parseCidr(text).ok).toBe(ok);
  });

  it('names the network meant when host bits are set', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ ok: false, problem: { kind: 'hostBits', network: '10.0.0.0/8' } });
    expect(parseCidr('2001:db8::1/32')).toEqual({ ok: false, problem: { kind: 'hostBits', network: '2001:db8::/32' } });
  });
});
