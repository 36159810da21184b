/**
 * RADIUS authenticators, Message-Authenticator and attribute hiding (RFC 2865 §3 and §5.2, RFC 2866 §3,
 * RFC 2868 §3.5, RFC 3579 §3.2, RFC 5176 §2.3). What sits in the Authenticator field while hashing follows
 * FreeRADIUS 3.2 rad_sign/rad_verify (docs/reference.md §1). Every comparison is constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Attr, Code, HEADER_LENGTH, MAX_PACKET_LENGTH } from './codes.js';
import { RadiusError } from './errors.js';
import * as md5lib from './md5.js';
import { attributesLength, packetBuffer, writeAttributes, type RawAttribute, type RawPacket } from './packet.js';

const ZERO16 = Buffer.alloc(16);

// Module-local copies of the hashing entry points: called several times per packet, and a bundler's or test
// runner's import binding can cost a getter call per use.
const { hmacMd5Begin, hmacMd5End, hmacMd5Into, md5Begin } = md5lib;
const md5Of = md5lib.md5;

/*
 * Hashing goes through md5.ts: MD5 in JavaScript, which for RADIUS-sized inputs beats node:crypto's per-call cost
 * several times over, fed straight from the packet's ranges (no copies), with HMAC-MD5 starting from the key's
 * saved pad states (RFC 2104). Everything here is synchronous, so md5.ts's one context serves every call.
 */

/** Digest scratch for the verify functions: compared, never returned. */
const COMPUTED = Buffer.alloc(16);

export function md5(data: Buffer): Buffer {
  return md5Of(data);
}

/** HMAC-MD5(secret, data). */
export function hmacMd5(secret: Buffer, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(16);
  hmacMd5Into(secret, [data], out, 0);
  return out;
}

/** Codes whose Request Authenticator is MD5(packet with 16 zero octets + secret) (RFC 2866 §3, RFC 5176 §2.3). */
export function hasComputedRequestAuthenticator(code: number): boolean {
  return code === Code.AccountingRequest || code === Code.CoARequest || code === Code.DisconnectRequest;
}

function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Check a received packet's Message-Authenticator. `authenticatorForHmac` is what stands in the Authenticator
 * field while hashing: null keeps the packet's own (Access-Request, Status-Server); ZERO for Accounting/CoA/
 * Disconnect-Request; the Request Authenticator of the request answered, for a reply.
 * Returns false when the packet has no Message-Authenticator.
 */
export function verifyMessageAuthenticator(packet: RawPacket, secret: Buffer, authenticatorForHmac: Buffer | null): boolean {
  const off = packet.messageAuthenticatorOffset;
  if (off < 0) return false;
  const raw = packet.raw;
  const h = hmacMd5Begin(secret).update(raw, 0, 4);
  if (authenticatorForHmac) h.update(authenticatorForHmac, 0, 16);
  else h.update(raw, 4, 20);
  h.update(raw, 20, off).update(ZERO16).update(raw, off + 16, raw.length);
  hmacMd5End(COMPUTED, 0);
  return constantTimeEqual(COMPUTED, raw.subarray(off, off + 16));
}

/** Accounting-, CoA- and Disconnect-Request: Request Authenticator = MD5(Code|Id|Len|16×0|Attributes|secret). */
export function verifyRequestAuthenticator(packet: RawPacket, secret: Buffer): boolean {
  const raw = packet.raw;
  md5Begin().update(raw, 0, 4).update(ZERO16).update(raw, 20, raw.length).update(secret).digestInto(COMPUTED, 0);
  return constantTimeEqual(COMPUTED, raw.subarray(4, 20));
}

/** A reply's Response Authenticator = MD5(Code|Id|Len|RequestAuth|Attributes|secret). */
export function verifyResponseAuthenticator(reply: RawPacket, requestAuthenticator: Buffer, secret: Buffer): boolean {
  const raw = reply.raw;
  md5Begin().update(raw, 0, 4).update(requestAuthenticator, 0, 16).update(raw, 20, raw.length).update(secret).digestInto(COMPUTED, 0);
  return constantTimeEqual(COMPUTED, raw.subarray(4, 20));
}

export function randomAuthenticator(): Buffer {
  return randomBytes(16);
}

/**
 * User-Password hiding (RFC 2865 §5.2): pad to a multiple of 16, XOR with the MD5 chain. The 128-octet cap is
 * User-Password's own (RFC 2865 §5.2); other encrypt=1 attributes (vendor ones such as Aruba-MPSK-Lookup-Info)
 * pass a larger `max`, up to what one attribute holds.
 */
export function hidePassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer, max = 128): Buffer {
  if (password.length > max) throw new RadiusError('RADIUS_ENCODE_VALUE', `${password.length} octets; at most ${max} can be hidden`);
  const len = Math.max(16, Math.ceil(password.length / 16) * 16);
  const out = Buffer.alloc(len);
  password.copy(out);
  xorChain(out, secret, requestAuthenticator, true);
  return out;
}

/**
 * Reverse of hidePassword; trailing NUL padding is removed. Throws RADIUS_BAD_VALUE unless 16..`max` and a
 * multiple of 16 (`max` as for hidePassword).
 */
export function unhidePassword(hidden: Buffer, secret: Buffer, requestAuthenticator: Buffer, max = 128): Buffer {
  if (hidden.length < 16 || hidden.length > max || hidden.length % 16 !== 0) {
    throw new RadiusError('RADIUS_BAD_VALUE', `hidden value of ${hidden.length} octets is not 16..${max} in steps of 16`);
  }
  const out = Buffer.from(hidden);
  xorChain(out, secret, requestAuthenticator, false);
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  return out.subarray(0, end);
}

/**
 * b1 = MD5(secret + iv), c1 = p1 XOR b1, b2 = MD5(secret + c1) ... in place.
 * `encrypting` says whether `buf` holds plaintext (chain on the output) or ciphertext (chain on the input).
 */
const CHAIN_DIGEST = Buffer.alloc(16);
const CHAIN_CIPHER = Buffer.alloc(16);

function xorChain(buf: Buffer, secret: Buffer, iv: Buffer, encrypting: boolean): void {
  const b = CHAIN_DIGEST;
  for (let i = 0; i < buf.length; i += 16) {
    const h = md5Begin().update(secret);
    if (i === 0) h.update(iv);
    else if (encrypting) h.update(buf, i - 16, i);
    else h.update(CHAIN_CIPHER, 0, 16);
    h.digestInto(b, 0);
    for (let j = 0; j < 16; j++) {
      const c = buf[i + j] as number;
      if (!encrypting) CHAIN_CIPHER[j] = c;
      buf[i + j] = c ^ (b[j] as number);
    }
  }
}

/**
 * Tunnel-Password (RFC 2868 §3.5) and MS-MPPE-Send/Recv-Key (RFC 2548 §2.4.2) hiding: salt (2 octets, high bit
 * set) + encrypted (length octet + data, padded to 16). Tag octet, if any, is the caller's.
 */
export function hideSalted(data: Buffer, secret: Buffer, requestAuthenticator: Buffer, salt?: Buffer): Buffer {
  if (data.length > 239) throw new RadiusError('RADIUS_ENCODE_VALUE', 'salted value longer than 239 octets');
  const s = salt ?? randomBytes(2);
  const len = Math.ceil((data.length + 1) / 16) * 16;
  const out = Buffer.alloc(2 + len);
  out[0] = (s[0] as number) | 0x80;
  out[1] = s[1] as number;
  out[2] = data.length;
  data.copy(out, 3);
  xorChain(out.subarray(2), secret, Buffer.concat([requestAuthenticator, out.subarray(0, 2)]), true);
  return out;
}

/** Reverse of hideSalted. Throws RADIUS_BAD_VALUE when the sizes are inconsistent. */
export function unhideSalted(hidden: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (hidden.length < 18 || (hidden.length - 2) % 16 !== 0) {
    throw new RadiusError('RADIUS_BAD_VALUE', `salted value of ${hidden.length} octets`);
  }
  const body = Buffer.from(hidden.subarray(2));
  xorChain(body, secret, Buffer.concat([requestAuthenticator, hidden.subarray(0, 2)]), false);
  const n = body[0] as number;
  if (n > body.length - 1) throw new RadiusError('RADIUS_BAD_VALUE', 'salted value length octet exceeds the data');
  return body.subarray(1, 1 + n);
}

/**
 * Ascend-Send-Secret / Ascend-Receive-Secret (encrypt=3, FreeRADIUS `make_secret`): the value, NUL-padded to 16
 * octets, XOR MD5(Request Authenticator | secret). Its own inverse.
 */
export function ascendSecret(value: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  const out = Buffer.allocUnsafe(16);
  md5Begin().update(requestAuthenticator).update(secret).digestInto(out, 0);
  for (let i = 0; i < 16 && i < value.length; i++) out[i] = (out[i] as number) ^ (value[i] as number);
  return out;
}

export interface SignOptions {
  /** Put a Message-Authenticator first in the packet. */
  readonly messageAuthenticator: boolean;
}

/**
 * Encode and sign a reply (Access-Accept/Reject/Challenge, Accounting-Response, CoA/Disconnect ACK/NAK,
 * Protocol-Error). With `messageAuthenticator` it is placed first (BlastRADIUS) and computed with the Request
 * Authenticator in the header, then the Response Authenticator is computed over everything.
 * `proxyStates` are appended unmodified and in order (RFC 2865 §5.33).
 */
export function encodeReply(
  code: number,
  identifier: number,
  requestAuthenticator: Buffer,
  attributes: readonly RawAttribute[],
  secret: Buffer,
  options: SignOptions,
  proxyStates: readonly RawAttribute[] = [],
): Buffer {
  checkAuthenticator(requestAuthenticator);
  const buf = assemble('reply', code, identifier, requestAuthenticator, options.messageAuthenticator, attributes, proxyStates);
  if (options.messageAuthenticator) signMessageAuthenticator(buf, secret);
  md5Begin().update(buf).update(secret).digestInto(buf, 4);
  return buf;
}

/**
 * Encode and sign a request. Access-Request and Status-Server carry `authenticator` (random when omitted:
 * hide User-Password with the same one). Accounting-, CoA- and Disconnect-Request get the computed Request
 * Authenticator, with any Message-Authenticator computed over 16 zero octets first.
 */
export function encodeRequest(
  code: number,
  identifier: number,
  attributes: readonly RawAttribute[],
  secret: Buffer,
  options: SignOptions & { readonly authenticator?: Buffer },
): Buffer {
  const computed = hasComputedRequestAuthenticator(code);
  if (!computed && options.authenticator !== undefined) checkAuthenticator(options.authenticator);
  const authenticator = computed ? ZERO16 : (options.authenticator ?? randomBytes(16));
  const buf = assemble('request', code, identifier, authenticator, options.messageAuthenticator, attributes, NO_ATTRIBUTES);
  if (options.messageAuthenticator) signMessageAuthenticator(buf, secret);
  if (computed) md5Begin().update(buf).update(secret).digestInto(buf, 4);
  return buf;
}

const NO_ATTRIBUTES: readonly RawAttribute[] = [];

/**
 * Header, an all-zero Message-Authenticator first when asked (BlastRADIUS), then the attributes and `trailing`
 * (a reply's Proxy-States). Throws RADIUS_ENCODE_TOO_LONG above 4096 octets.
 */
function assemble(
  what: 'reply' | 'request',
  code: number,
  identifier: number,
  authenticator: Buffer,
  messageAuthenticator: boolean,
  attributes: readonly RawAttribute[],
  trailing: readonly RawAttribute[],
): Buffer {
  const maLen = messageAuthenticator ? 18 : 0;
  const length = HEADER_LENGTH + maLen + attributesLength(attributes) + (trailing.length === 0 ? 0 : attributesLength(trailing));
  if (length > MAX_PACKET_LENGTH) throw new RadiusError('RADIUS_ENCODE_TOO_LONG', `${what} of ${length} octets`);
  const buf = packetBuffer(code, identifier, length, authenticator);
  let off = HEADER_LENGTH;
  if (maLen) {
    buf[off] = Attr.MessageAuthenticator;
    buf[off + 1] = 18;
    buf.fill(0, off + 2, off + 18);
    off += 18;
  }
  off = writeAttributes(buf, off, attributes);
  if (trailing.length !== 0) writeAttributes(buf, off, trailing);
  return buf;
}

/** The Message-Authenticator placed first (value at offset 22, zero while hashing) computed over the whole packet. */
function signMessageAuthenticator(buf: Buffer, secret: Buffer): void {
  hmacMd5Begin(secret).update(buf);
  hmacMd5End(buf, HEADER_LENGTH + 2);
}

/** A shorter authenticator would leave octets of uninitialised (allocUnsafe) memory in the header. */
function checkAuthenticator(authenticator: Buffer): void {
  if (authenticator.length !== 16) {
    throw new RadiusError('RADIUS_ENCODE_VALUE', `authenticator of ${authenticator.length} octets, expected 16`);
  }
}
