/**
 * RADIUS authenticators, Message-Authenticator and attribute hiding (RFC 2865 §3 and §5.2, RFC 2866 §3,
 * RFC 2868 §3.5, RFC 3579 §3.2, RFC 5176 §2.3). What sits in the Authenticator field while hashing follows
 * FreeRADIUS 3.2 rad_sign/rad_verify (../shared/REFERENCE.md §1). Every comparison is constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Attr, Code, HEADER_LENGTH, MAX_PACKET_LENGTH } from './codes.js';
import { RadiusError } from './errors.js';
import { hmacMd5Into, md5 as md5Of } from './md5.js';
import { attributesLength, writeAttributes, type RawAttribute, type RawPacket } from './packet.js';

const ZERO16 = Buffer.alloc(16);

/*
 * Hashing goes through md5.ts: MD5 in JavaScript, which for RADIUS-sized inputs beats node:crypto's per-call cost
 * several times over, with HMAC-MD5 starting from the key's saved pad states (RFC 2104). Functions that patch a
 * copy of the packet use one reusable scratch buffer; everything here is synchronous, so one serves every call.
 */
const SCRATCH = Buffer.allocUnsafe(64 + MAX_PACKET_LENGTH + 1024);

export function md5(data: Buffer): Buffer {
  return md5Of(data);
}

/** HMAC-MD5 of SCRATCH[64, 64 + length) (the caller wrote the message there). */
function hmacScratch(secret: Buffer, length: number): Buffer {
  const out = Buffer.allocUnsafe(16);
  hmacMd5Into(secret, [SCRATCH.subarray(64, 64 + length)], out, 0);
  return out;
}

/** HMAC-MD5(secret, data). */
export function hmacMd5(secret: Buffer, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(16);
  hmacMd5Into(secret, [data], out, 0);
  return out;
}

/** MD5(data || secret). */
function md5WithSecret(data: Buffer, secret: Buffer): Buffer {
  return md5Of(data, secret);
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
  raw.copy(SCRATCH, 64);
  if (authenticatorForHmac) authenticatorForHmac.copy(SCRATCH, 64 + 4, 0, 16);
  SCRATCH.fill(0, 64 + off, 64 + off + 16);
  return constantTimeEqual(hmacScratch(secret, raw.length), raw.subarray(off, off + 16));
}

/** Accounting-, CoA- and Disconnect-Request: Request Authenticator = MD5(Code|Id|Len|16×0|Attributes|secret). */
export function verifyRequestAuthenticator(packet: RawPacket, secret: Buffer): boolean {
  const raw = packet.raw;
  raw.copy(SCRATCH, 0);
  SCRATCH.fill(0, 4, 20);
  secret.copy(SCRATCH, raw.length);
  return constantTimeEqual(md5(SCRATCH.subarray(0, raw.length + secret.length)), raw.subarray(4, 20));
}

/** A reply's Response Authenticator = MD5(Code|Id|Len|RequestAuth|Attributes|secret). */
export function verifyResponseAuthenticator(reply: RawPacket, requestAuthenticator: Buffer, secret: Buffer): boolean {
  const raw = reply.raw;
  raw.copy(SCRATCH, 0);
  requestAuthenticator.copy(SCRATCH, 4, 0, 16);
  secret.copy(SCRATCH, raw.length);
  return constantTimeEqual(md5(SCRATCH.subarray(0, raw.length + secret.length)), raw.subarray(4, 20));
}

export function randomAuthenticator(): Buffer {
  return randomBytes(16);
}

/** User-Password hiding (RFC 2865 §5.2): pad to a multiple of 16 (max 128), XOR with the MD5 chain. */
export function hidePassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (password.length > 128) throw new RadiusError('RADIUS_ENCODE_VALUE', 'User-Password longer than 128 octets');
  const len = Math.max(16, Math.ceil(password.length / 16) * 16);
  const out = Buffer.alloc(len);
  password.copy(out);
  xorChain(out, secret, requestAuthenticator, true);
  return out;
}

/** Reverse of hidePassword; trailing NUL padding is removed. Throws RADIUS_BAD_VALUE unless 16..128 and a multiple of 16. */
export function unhidePassword(hidden: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (hidden.length < 16 || hidden.length > 128 || hidden.length % 16 !== 0) {
    throw new RadiusError('RADIUS_BAD_VALUE', `User-Password of ${hidden.length} octets is not 16..128 in steps of 16`);
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
function xorChain(buf: Buffer, secret: Buffer, iv: Buffer, encrypting: boolean): void {
  let prev: Buffer = iv;
  const cipherBlock = Buffer.allocUnsafe(16);
  for (let i = 0; i < buf.length; i += 16) {
    secret.copy(SCRATCH, 0);
    prev.copy(SCRATCH, secret.length);
    const b = md5(SCRATCH.subarray(0, secret.length + prev.length));
    if (!encrypting) buf.copy(cipherBlock, 0, i, i + 16);
    for (let j = 0; j < 16; j++) buf[i + j] = (buf[i + j] as number) ^ (b[j] as number);
    prev = encrypting ? buf.subarray(i, i + 16) : Buffer.from(cipherBlock);
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
  const maLen = options.messageAuthenticator ? 18 : 0;
  const length = HEADER_LENGTH + maLen + attributesLength(attributes) + attributesLength(proxyStates);
  if (length > MAX_PACKET_LENGTH) throw new RadiusError('RADIUS_ENCODE_TOO_LONG', `reply of ${length} octets`);
  const buf = Buffer.allocUnsafe(length);
  buf[0] = code;
  buf[1] = identifier;
  buf.writeUInt16BE(length, 2);
  requestAuthenticator.copy(buf, 4, 0, 16);
  let off = HEADER_LENGTH;
  if (maLen) {
    buf[off] = Attr.MessageAuthenticator;
    buf[off + 1] = 18;
    buf.fill(0, off + 2, off + 18);
    off += 18;
  }
  off = writeAttributes(buf, off, attributes);
  writeAttributes(buf, off, proxyStates);
  if (maLen) hmacMd5(secret, buf).copy(buf, HEADER_LENGTH + 2);
  md5WithSecret(buf, secret).copy(buf, 4);
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
  const maLen = options.messageAuthenticator ? 18 : 0;
  const length = HEADER_LENGTH + maLen + attributesLength(attributes);
  if (length > MAX_PACKET_LENGTH) throw new RadiusError('RADIUS_ENCODE_TOO_LONG', `request of ${length} octets`);
  const buf = Buffer.allocUnsafe(length);
  buf[0] = code;
  buf[1] = identifier;
  buf.writeUInt16BE(length, 2);
  if (computed) ZERO16.copy(buf, 4);
  else (options.authenticator ?? randomBytes(16)).copy(buf, 4, 0, 16);
  let off = HEADER_LENGTH;
  if (maLen) {
    buf[off] = Attr.MessageAuthenticator;
    buf[off + 1] = 18;
    buf.fill(0, off + 2, off + 18);
    off += 18;
  }
  writeAttributes(buf, off, attributes);
  if (maLen) hmacMd5(secret, buf).copy(buf, HEADER_LENGTH + 2);
  if (computed) md5WithSecret(buf, secret).copy(buf, 4);
  return buf;
}
