/** The one IPv4 text↔octets pair and the address → integer conversion the NAS table and the API share. */
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressText, addressToBigInt, ipv4OfOctets, ipv4ToOctets, unmapIPv4 } from '../../../src/radius/primitives.js';

describe('IPv4 text and octets', () => {
  it('round-trips dotted quads', () => {
    for (const ip of ['0.0.0.0', '10.0.0.7', '100.64.1.23', '255.255.255.255']) {
      const octets = ipv4ToOctets(ip);
      expect(octets?.length).toBe(4);
      expect(ipv4OfOctets(octets as Buffer)).toBe(ip);
    }
    expect(ipv4ToOctets('192.0.2.1')).toEqual(Buffer.from([192, 0, 2, 1]));
  });

  it('refuses what is not four decimal octets', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.a', '1..2.3', '1.2.3.4 ', '::1']) expect(ipv4ToOctets(bad), bad).toBeUndefined();
    expect(ipv4OfOctets(Buffer.from([1, 2, 3]))).toBeUndefined();
  });
});

describe('addressToBigInt', () => {
  it('agrees with node:net isIP on what is an address', () => {
    const samples = ['10.0.0.1', '010.0.0.1', '1.2.3.04', '0.0.0.0', '::', '::1', 'fe80::1%eth0', '2001:db8::', '2001:db8:0:0:0:0:0:1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1:2', 'g::1', '::ffff:10.1.2.3', '64:ff9b::1.2.3.4', '64:ff9b::1.2.3.04', 'nonsense', ''];
    for (const s of samples) expect(addressToBigInt(s) !== undefined, s).toBe(isIP(s) !== 0);
  });

  it('gives IPv4-mapped IPv6 as IPv4, and IPv6 as 128 bits', () => {
    expect(addressToBigInt('::ffff:1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
    expect(addressToBigInt('2001:db8::1')).toEqual({ family: 6, value: (0x2001n << 112n) | (0xdb8n << 96n) | 1n });
    expect(unmapIPv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(unmapIPv4('::1')).toBe('::1');
  });

  it('has addressText as its inverse, in the text form Node reports (RFC 5952)', () => {
    for (const text of ['10.0.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::1', '2001:db8:0:1::', 'fe80::1:0:0:1', '1:2:3:4:5:6:7:8', '2001:0:0:1::1']) {
      const parsed = addressToBigInt(text);
      if (!parsed) throw new Error(text);
      expect(addressText(parsed.family, parsed.value)).toBe(text);
    }
    expect(addressText(6, addressToBigInt('2001:DB8:0:0:1:0:0:1')?.value ?? 0n)).toBe('2001:db8::1:0:0:1');
  });
});
