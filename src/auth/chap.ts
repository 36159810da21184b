/**
 * CHAP over RADIUS (RFC 1994 §4.1, RFC 2865 §2.2 and §5.3): CHAP-Password = CHAP Ident (1) + Response (16),
 * Response = MD5(Ident + secret + challenge). The challenge is the CHAP-Challenge attribute when present,
 * otherwise the Request Authenticator; choosing it is the caller's job.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const CHAP_PASSWORD_LENGTH = 17;

/** CHAP-Password value (17 octets) for `cleartext` answering `challenge`; for tests and clients. */
export function chapResponse(ident: number, cleartext: Buffer, challenge: Buffer): Buffer {
  if (!Number.isInteger(ident) || ident < 0 || ident > 255) {
    throw new RangeError(`CHAP ident must be an integer 0..255, got ${ident}`);
  }
  const out = Buffer.allocUnsafe(CHAP_PASSWORD_LENGTH);
  out.writeUInt8(ident, 0);
  chapDigest(ident, cleartext, challenge).copy(out, 1);
  return out;
}

/**
 * True when `chapPassword` is the right response for `cleartext` and `challenge`, compared in constant time.
 * A CHAP-Password that is not 17 octets, an empty challenge (a response to nothing proves nothing) or an empty
 * stored password (none set) never matches.
 */
export function verifyChap(chapPassword: Buffer, challenge: Buffer, cleartext: Buffer): boolean {
  if (chapPassword.length !== CHAP_PASSWORD_LENGTH || challenge.length === 0 || cleartext.length === 0) {
    return false;
  }
  const expected = chapDigest(chapPassword.readUInt8(0), cleartext, challenge);
  return timingSafeEqual(expected, chapPassword.subarray(1));
}

function chapDigest(ident: number, cleartext: Buffer, challenge: Buffer): Buffer {
  return createHash('md5').update(Buffer.of(ident)).update(cleartext).update(challenge).digest();
}
