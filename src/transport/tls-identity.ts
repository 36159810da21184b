/**
 * Whether a RadSec peer's certificate names the NAS a client entry's `tlsName` expects: the subject CN, or a
 * subjectAltName of type DNS or IP Address (RFC 6614 §2.4 leaves the choice to configuration). DNS names compare
 * without case; IP addresses compare as addresses (`::1` matches `0:0:0:0:0:0:0:1`). The chain itself was
 * verified by TLS against radius.radsec.caFile before this is asked.
 */
import type { PeerCertificate } from 'node:tls';
import { addressText, addressToBigInt } from '../radius/primitives.js';

function canonicalAddress(text: string): string | null {
  const parsed = addressToBigInt(text);
  return parsed ? addressText(parsed.family, parsed.value) : null;
}

/** The names a certificate offers: its CN(s), DNS SANs and IP SANs, as written in the certificate. */
export function certificateNames(cert: PeerCertificate): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  const cn = cert.subject?.CN;
  if (Array.isArray(cn)) dns.push(...cn);
  else if (cn) dns.push(cn);
  // Node's subjectaltname: "DNS:nas1.example.net, IP Address:192.0.2.1" (values with commas are quoted).
  for (const part of (cert.subjectaltname ?? '').split(/,\s*/)) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const kind = part.slice(0, colon);
    const value = part.slice(colon + 1).replace(/^"|"$/g, '');
    if (kind === 'DNS') dns.push(value);
    else if (kind === 'IP Address') ip.push(value);
  }
  return { dns, ip };
}

export function certificateMatchesName(cert: PeerCertificate, tlsName: string): boolean {
  const { dns, ip } = certificateNames(cert);
  const wanted = tlsName.toLowerCase();
  if (dns.some((n) => n.toLowerCase() === wanted)) return true;
  const address = canonicalAddress(tlsName);
  return address !== null && ip.some((n) => canonicalAddress(n) === address);
}
