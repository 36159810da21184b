/**
 * A client entry's tlsName against a certificate's names: subject CN, DNS subjectAltNames (without case), IP
 * subjectAltNames (as addresses), in the form node:tls reports them.
 */
import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { certificateMatchesName, certificateNames } from '../../../src/transport/tls-identity.js';

const cert = (cn: string | undefined, san: string | undefined): PeerCertificate =>
  ({ subject: cn === undefined ? {} : { CN: cn }, ...(san === undefined ? {} : { subjectaltname: san }) }) as unknown as PeerCertificate;

describe('certificateMatchesName', () => {
  it('matches the CN alone, without case', () => {
    expect(certificateMatchesName(cert('BRAS-1.example.net', undefined), 'bras-1.example.net')).toBe(true);
    expect(certificateMatchesName(cert('bras-2.example.net', undefined), 'bras-1.example.net')).toBe(false);
  });

  it('matches a DNS or an IP subjectAltName; an IP compares as an address', () => {
    const c = cert('something-else', 'DNS:a.example.net, DNS:bras-1.example.net, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:192.0.2.7');
    expect(certificateNames(c)).toEqual({ dns: ['something-else', 'a.example.net', 'bras-1.example.net'], ip: ['2001:DB8:0:0:0:0:0:1', '192.0.2.7'] });
    expect(certificateMatchesName(c, 'bras-1.example.net')).toBe(true);
    expect(certificateMatchesName(c, '2001:db8::1')).toBe(true);
    expect(certificateMatchesName(c, '192.0.2.7')).toBe(true);
    expect(certificateMatchesName(c, '192.0.2.8')).toBe(false);
  });

  it('ignores names of other kinds (email, URI); a DNS name matches by its text', () => {
    const c = cert(undefined, 'email:bras-1.example.net, URI:bras-1.example.net, DNS:192.0.2.7');
    expect(certificateMatchesName(c, 'bras-1.example.net')).toBe(false);
    // A DNS SAN spelled like an address is still a DNS name: it matches the same text, not the address.
    expect(certificateMatchesName(c, '192.0.2.7')).toBe(true);
    expect(certificateMatchesName(cert(undefined, undefined), 'x')).toBe(false);
  });
});
