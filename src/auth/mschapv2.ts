/**
 * MS-CHAPv2 as a RADIUS server checks it (RFC 2759 §8, attribute values of RFC 2548 §2.3, MPPE keys of
 * RFC 3079), matching FreeRADIUS 3.2 rlm_mschap on the wire: the same ChallengeHash user name, MS-CHAP2-Success
 * text and MPPE key mapping, and MS-CHAP-Error in its format (always R=0 here). Stricter in one point: the
 * challenge and response must be exactly 16 and 50 octets, where FreeRADIUS accepts longer ones.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { desEncrypt } from './des.js';
import { md4 } from './md4.js';
import { mppeMasterKeys } from './mppe.js';

export { getAsymmetricStartKey, getMasterKey, mppeMasterKeys, type MppeMasterKeys } from './mppe.js';

const CHALLENGE_LENGTH = 16;
const NT_HASH_LENGTH = 16;
// MS-CHAP2-Response value (RFC 2548 §2.3.2): Ident(1) Flags(1) Peer-Challenge(16) Reserved(8) NT-Response(24).
const RESPONSE_LENGTH = 50;
const PEER_CHALLENGE_OFFSET = 2;
const NT_RESPONSE_OFFSET = 26;

// RFC 2759 §8.7.
const SIGNING_MAGIC = Buffer.from('Magic server to client signing constant', 'ascii');
const PAD_MAGIC = Buffer.from('Pad to make it do more than one iteration', 'ascii');

export interface MsChapV2Request {
  /** The User-Name as received; a leading `DOMAIN\` is stripped as RFC 2759 §8.2 and FreeRADIUS do. */
  readonly userName: string;
  /** MS-CHAP-Challenge, 16 octets. */
  readonly authenticatorChallenge: Buffer;
  /** MS-CHAP2-Response value, 50 octets. */
  readonly response: Buffer;
}

export type MsChapV2Result =
  | {
      readonly ok: true;
      readonly ident: number;
      /** MS-CHAP2-Success value: ident octet + "S=" + 40 upper-case hex digits. */
      readonly success: Buffer;
      /** MS-MPPE-Send-Key (16 octets, plain): see mppeMasterKeys for the mapping. */
      readonly sendKey: Buffer;
      /** MS-MPPE-Recv-Key (16 octets, plain). */
      readonly recvKey: Buffer;
    }
  | {
      readonly ok: false;
      readonly ident: number;
      /** MS-CHAP-Error value: ident octet + "E=691 R=0 C=<32 hex> V=3 M=Authentication failed". */
      readonly error: Buffer;
      readonly reason: 'bad-format' | 'bad-response';
    };

/** NtPasswordHash (RFC 2759 §8.3): MD4 of the password in UTF-16LE, the form Windows stores. */
export function ntPasswordHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** HashNtPasswordHash (RFC 2759 §8.4). */
export function hashNtPasswordHash(ntHash: Buffer): Buffer {
  return md4(ntHash);
}

/**
 * The user name that enters ChallengeHash: everything after the first backslash, as FreeRADIUS's
 * with_ntdomain_hack does (the peer hashes its bare account name, the NAS forwards `DOMAIN\name`).
 */
export function stripNtDomain(userName: string): string {
  const slash = userName.indexOf('\\');
  return slash < 0 ? userName : userName.slice(slash + 1);
}

/** ChallengeHash (RFC 2759 §8.2): first 8 octets of SHA1(PeerChallenge + AuthenticatorChallenge + UserName). */
export function challengeHash(peerChallenge: Buffer, authenticatorChallenge: Buffer, userName: string): Buffer {
  return createHash('sha1')
    .update(peerChallenge)
    .update(authenticatorChallenge)
    .update(userName, 'utf8')
    .digest()
    .subarray(0, 8);
}

/** ChallengeResponse (RFC 2759 §8.5): the 8-octet challenge DES-encrypted under three 7-octet slices of the hash. */
export function challengeResponse(challenge: Buffer, ntHash: Buffer): Buffer {
  const key = Buffer.alloc(21);
  ntHash.copy(key, 0, 0, NT_HASH_LENGTH);
  return Buffer.concat([
    desEncrypt(key.subarray(0, 7), challenge),
    desEncrypt(key.subarray(7, 14), challenge),
    desEncrypt(key.subarray(14, 21), challenge),
  ]);
}

/**
 * GenerateNTResponse (RFC 2759 §8.1), from the NT hash rather than the password since that is what a server
 * stores. `userName` is the name as hashed, without a domain.
 */
export function generateNtResponse(
  authenticatorChallenge: Buffer,
  peerChallenge: Buffer,
  userName: string,
  ntHash: Buffer,
): Buffer {
  return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, userName), ntHash);
}

/** GenerateAuthenticatorResponse (RFC 2759 §8.7): "S=" + 40 upper-case hex digits, from the NT hash. */
export function generateAuthenticatorResponse(
  ntHash: Buffer,
  ntResponse: Buffer,
  peerChallenge: Buffer,
  authenticatorChallenge: Buffer,
  userName: string,
): string {
  const digest = createHash('sha1')
    .update(hashNtPasswordHash(ntHash))
    .update(ntResponse)
    .update(SIGNING_MAGIC)
    .digest();
  const signature = createHash('sha1')
    .update(digest)
    .update(challengeHash(peerChallenge, authenticatorChallenge, userName))
    .update(PAD_MAGIC)
    .digest();
  return `S=${signature.toString('hex').toUpperCase()}`;
}

/**
 * Check an MS-CHAP2-Response against the user's NT hash. Never throws: wrong lengths give 'bad-format', a wrong
 * NT-Response 'bad-response', both with the MS-CHAP-Error FreeRADIUS would send. The Flags and Reserved octets
 * are not checked, as FreeRADIUS does not check them.
 */
export function verifyMsChapV2(req: MsChapV2Request, ntHash: Buffer): MsChapV2Result {
  const { authenticatorChallenge, response } = req;
  const ident = response.length > 0 ? response.readUInt8(0) : 0;
  if (
    authenticatorChallenge.length !== CHALLENGE_LENGTH ||
    response.length !== RESPONSE_LENGTH ||
    ntHash.length !== NT_HASH_LENGTH
  ) {
    return failure(ident, 'bad-format');
  }

  const userName = stripNtDomain(req.userName);
  const peerChallenge = response.subarray(PEER_CHALLENGE_OFFSET, PEER_CHALLENGE_OFFSET + CHALLENGE_LENGTH);
  const ntResponse = response.subarray(NT_RESPONSE_OFFSET, RESPONSE_LENGTH);
  const expected = generateNtResponse(authenticatorChallenge, peerChallenge, userName, ntHash);
  if (!timingSafeEqual(expected, ntResponse)) return failure(ident, 'bad-response');

  const authenticatorResponse = generateAuthenticatorResponse(
    ntHash,
    ntResponse,
    peerChallenge,
    authenticatorChallenge,
    userName,
  );
  const { sendKey, recvKey } = mppeMasterKeys(ntHash, ntResponse);
  return { ok: true, ident, success: withIdent(ident, authenticatorResponse), sendKey, recvKey };
}

/**
 * R=0 tells the peer not to retry; C= still carries a fresh 16-octet challenge, as FreeRADIUS always sends one,
 * in lower-case hex as FreeRADIUS prints it (%08x).
 */
function failure(ident: number, reason: 'bad-format' | 'bad-response'): MsChapV2Result {
  const text = `E=691 R=0 C=${randomBytes(16).toString('hex')} V=3 M=Authentication failed`;
  return { ok: false, ident, error: withIdent(ident, text), reason };
}

function withIdent(ident: number, text: string): Buffer {
  const out = Buffer.allocUnsafe(1 + text.length);
  out.writeUInt8(ident, 0);
  out.write(text, 1, 'ascii');
  return out;
}
