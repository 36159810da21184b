/**
 * Published RADIUS test vectors (docs/reference.md §4), decoded, asserted and re-encoded byte for byte.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeAttributes,
  encodeAttribute,
  encodeAttributes,
  encodeReply,
  encodeRequest,
  formatAttribute,
  hideSalted,
  parsePacket,
  unhidePassword,
  unhideSalted,
  verifyMessageAuthenticator,
  verifyResponseAuthenticator,
  writeAttributes,
  type RawAttribute,
} from '../../../src/radius/index.js';
import { hex, PROJECT_DICTIONARY, projectDictionaryExists, testDictionary } from './test-dictionary.js';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';

const dict = testDictionary();

/** Attributes as wire bytes (type, length, value). */
function wire(attrs: readonly RawAttribute[]): Buffer {
  const buf = Buffer.alloc(attrs.reduce((n, a) => n + 2 + a.value.length, 0));
  writeAttributes(buf, 0, attrs);
  return buf;
}

// RFC 2865 §7.1: Telnet user authenticating with PAP; secret xyzzy5461.
const RFC2865_7_1_REQUEST = hex(`
  01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
  93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
const RFC2865_7_1_RESPONSE = hex(`
  02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
  0e 06 c0 a8 01 03`);
// RFC 2865 §7.2: framed user authenticating with CHAP.
const RFC2865_7_2_REQUEST = hex(`
  01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e 0d 33 67 a2 01 08 66 6c 6f 70 73 79 03 13 16 e9
  75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04 06 c0 a8 01 10 05 06 00 00 00 14 06 06 00 00 00
  02 07 06 00 00 00 01`);
// RFC 5997 §6.1: Status-Server with Message-Authenticator; secret xyzzy5461.
const RFC5997_STATUS_SERVER = hex(`
  0c da 00 26 8a 54 f4 68 6f b3 94 c5 28 66 e3 02 18 5d 06 23 50 12 5a 66 5e 2e 1e 84 11 f3 e2 43
  82 20 97 c8 4f a3`);

const XYZZY = Buffer.from('xyzzy5461');
const TESTING123 = { secret: Buffer.from('testing123'), authenticator: hex('00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f') };

describe('RFC 2865 §7.1 (PAP)', () => {
  const request = parsePacket(RFC2865_7_1_REQUEST);

  it('decodes the Access-Request, hiding undone with the shared secret', () => {
    expect(request.code).toBe(1);
    expect(request.identifier).toBe(0);
    expect(decodeAttributes(dict, request.attributes, { secret: XYZZY, authenticator: request.authenticator })).toEqual([
      { name: 'User-Name', value: 'nemo' },
      { name: 'User-Password', value: 'arctangent' },
      { name: 'NAS-IP-Address', value: '192.168.1.16' },
      { name: 'NAS-Port', value: 3 },
    ]);
    const hidden = request.attributes[1]?.value ?? Buffer.alloc(0);
    expect(unhidePassword(hidden, XYZZY, request.authenticator).toString()).toBe('arctangent');
  });

  it('re-encodes the request attributes byte for byte', () => {
    const attrs = decodeAttributes(dict, request.attributes, { secret: XYZZY, authenticator: request.authenticator });
    const encoded = encodeAttributes(dict, attrs, { secret: XYZZY, authenticator: request.authenticator });
    expect(wire(encoded).equals(RFC2865_7_1_REQUEST.subarray(20))).toBe(true);
  });

  it('verifies the Access-Accept and re-encodes it byte for byte with encodeReply', () => {
    const reply = parsePacket(RFC2865_7_1_RESPONSE);
    expect(verifyResponseAuthenticator(reply, request.authenticator, XYZZY)).toBe(true);
    const attrs = decodeAttributes(dict, reply.attributes);
    expect(attrs).toEqual([
      { name: 'Service-Type', value: 1 },
      { name: 'Login-Service', value: 0 },
      { name: 'Login-IP-Host', value: '192.168.1.3' },
    ]);
    expect(attrs.map((a) => formatAttribute(dict, a))).toEqual(['Service-Type = Login-User', 'Login-Service = Telnet', 'Login-IP-Host = 192.168.1.3']);
    const bytes = encodeReply(2, 0, request.authenticator, encodeAttributes(dict, attrs), XYZZY, { messageAuthenticator: false });
    expect(bytes.toString('hex')).toBe(RFC2865_7_1_RESPONSE.toString('hex'));
    // VALUE names encode to the same bytes as the numbers.
    const byName = encodeAttributes(dict, [
      { name: 'Service-Type', value: 'Login-User' },
      { name: 'Login-Service', value: 'telnet' },
      { name: 'Login-IP-Host', value: '192.168.1.3' },
    ]);
    expect(wire(byName).equals(RFC2865_7_1_RESPONSE.subarray(20))).toBe(true);
  });
});

describe('RFC 2865 §7.2 (CHAP)', () => {
  it('parses and decodes the Access-Request', () => {
    const request = parsePacket(RFC2865_7_2_REQUEST);
    const attrs = decodeAttributes(dict, request.attributes);
    expect(attrs.map((a) => a.name)).toEqual(['User-Name', 'CHAP-Password', 'NAS-IP-Address', 'NAS-Port', 'Service-Type', 'Framed-Protocol']);
    expect(attrs[0]?.value).toBe('flopsy');
    const chap = attrs[1]?.value as Buffer;
    expect(chap.length).toBe(17);
    expect(chap[0]).toBe(0x16); // CHAP Ident
    expect(attrs.slice(2).map((a) => formatAttribute(dict, a))).toEqual([
      'NAS-IP-Address = 192.168.1.16',
      'NAS-Port = 20',
      'Service-Type = Framed-User',
      'Framed-Protocol = PPP',
    ]);
    expect(wire(encodeAttributes(dict, attrs)).equals(RFC2865_7_2_REQUEST.subarray(20))).toBe(true);
  });
});

describe('RFC 5997 §6.1 (Status-Server)', () => {
  it('verifies the Message-Authenticator', () => {
    const packet = parsePacket(RFC5997_STATUS_SERVER);
    expect(packet.code).toBe(12);
    expect(packet.messageAuthenticatorOffset).toBe(22);
    expect(verifyMessageAuthenticator(packet, XYZZY, null)).toBe(true);
    expect(verifyMessageAuthenticator(packet, Buffer.from('xyzzy5462'), null)).toBe(false);
    expect(decodeAttributes(dict, packet.attributes)).toEqual([
      { name: 'Message-Authenticator', value: hex('5a665e2e1e8411f3e243822097c84fa3') },
    ]);
  });

  it('encodeRequest with the same authenticator reproduces it byte for byte', () => {
    const packet = parsePacket(RFC5997_STATUS_SERVER);
    const bytes = encodeRequest(12, 0xda, [], XYZZY, { messageAuthenticator: true, authenticator: packet.authenticator });
    expect(bytes.toString('hex')).toBe(RFC5997_STATUS_SERVER.toString('hex'));
  });
});

describe('empty Accounting-Request (pyrad test suite)', () => {
  it('encodeRequest gives the exact bytes', () => {
    const bytes = encodeRequest(4, 0, [], Buffer.from('secret'), { messageAuthenticator: false });
    expect(bytes.toString('hex')).toBe('0400001495df90cc626efb15472113eafa3e360f');
  });
});

describe('RFC 2868 tunnel attributes and RFC 2865 §5.2 hiding (secret testing123, authenticator 00..0f)', () => {
  const TUNNEL_PASSWORD_FOO = hex('45 15 00 99 73 05 1d e6 c5 57 30 7d ac d5 da a5 99 f4 e2 6e 7e');

  it('Tunnel-Password "foo" with salt 0x9973: the published bytes decode, and hideSalted matches them', () => {
    // The published value pads "foo" with non-zero octets (its plaintext block is 03 66 6f 6f 00 44 be 93 ...),
    // so only the length octet, the data and the first padding octet (zero) can match a zero-padded encoding.
    const hidden = hideSalted(Buffer.from('foo'), TESTING123.secret, TESTING123.authenticator, hex('9973'));
    expect(hidden.length).toBe(18);
    expect(hidden.subarray(0, 7).equals(TUNNEL_PASSWORD_FOO.subarray(3, 10))).toBe(true);
    expect(unhideSalted(TUNNEL_PASSWORD_FOO.subarray(3), TESTING123.secret, TESTING123.authenticator).toString()).toBe('foo');
  });

  it('Tunnel-Password decodes to "foo" with tag 0, and a freshly encoded one decodes back', () => {
    const parsed: RawAttribute = { type: 69, value: TUNNEL_PASSWORD_FOO.subarray(2) };
    expect(decodeAttributes(dict, [parsed], TESTING123)).toEqual([{ name: 'Tunnel-Password', value: 'foo' }]);
    // Without the secret: the raw value under its name.
    expect(decodeAttributes(dict, [parsed])).toEqual([{ name: 'Tunnel-Password', value: TUNNEL_PASSWORD_FOO.subarray(2) }]);
    const fresh = encodeAttribute(dict, { name: 'Tunnel-Password', value: 'foo', tag: 2 }, TESTING123);
    expect(fresh.value.length).toBe(19);
    expect(fresh.value[0]).toBe(2);
    expect((fresh.value[1] as number) & 0x80).toBe(0x80); // salt high bit
    expect(decodeAttributes(dict, [fresh], TESTING123)).toEqual([{ name: 'Tunnel-Password', value: 'foo', tag: 2 }]);
  });

  it('User-Password "bob" is the published bytes', () => {
    const attr = encodeAttribute(dict, { name: 'User-Password', value: 'bob' }, TESTING123);
    expect(wire([attr]).toString('hex')).toBe('0212f4816bca74fd7a1a104607240014828b');
    expect(decodeAttributes(dict, [attr], TESTING123)).toEqual([{ name: 'User-Password', value: 'bob' }]);
  });

  it('40 06 01 00 00 01 is Tunnel-Type, tag 1, PPTP', () => {
    const packet = parsePacket(Buffer.concat([hex('02 00 00 1a'), Buffer.alloc(16), hex('40 06 01 00 00 01')]));
    const attrs = decodeAttributes(dict, packet.attributes);
    expect(attrs).toEqual([{ name: 'Tunnel-Type', value: 1, tag: 1 }]);
    expect(formatAttribute(dict, attrs[0] as (typeof attrs)[number])).toBe('Tunnel-Type:1 = PPTP');
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Type', value: 'PPTP', tag: 1 }])).toString('hex')).toBe('400601000001');
  });
});

describe('vendor formats', () => {
  it('USR (vendor 429, format=4,0): USR-Event-Id = 1234', () => {
    const bytes = hex('1a 0e 00 00 01 ad 00 00 bf be 00 00 04 d2');
    expect(wire([encodeAttribute(dict, { name: 'USR-Event-Id', value: 1234 })]).equals(bytes)).toBe(true);
    expect(decodeAttributes(dict, [{ type: 26, value: bytes.subarray(2) }])).toEqual([{ name: 'USR-Event-Id', value: 1234 }]);
  });

  it('Starent (vendor 8164, format=2,2): SN-VPN-Name = "foo"', () => {
    const bytes = hex('1a 0d 00 00 1f e4 00 02 00 07 66 6f 6f');
    expect(wire([encodeAttribute(dict, { name: 'SN-VPN-Name', value: 'foo' })]).equals(bytes)).toBe(true);
    expect(decodeAttributes(dict, [{ type: 26, value: bytes.subarray(2) }])).toEqual([{ name: 'SN-VPN-Name', value: 'foo' }]);
  });
});

describe.skipIf(!projectDictionaryExists)('with the project dictionary (dictionaries/dictionary)', () => {
  it('loads and decodes the RFC 2865 §7.1 exchange the same way', () => {
    const project = loadDictionaryFiles([PROJECT_DICTIONARY]);
    const request = parsePacket(RFC2865_7_1_REQUEST);
    expect(decodeAttributes(project, request.attributes, { secret: XYZZY, authenticator: request.authenticator })).toEqual([
      { name: 'User-Name', value: 'nemo' },
      { name: 'User-Password', value: 'arctangent' },
      { name: 'NAS-IP-Address', value: '192.168.1.16' },
      { name: 'NAS-Port', value: 3 },
    ]);
    const reply = parsePacket(RFC2865_7_1_RESPONSE);
    const attrs = decodeAttributes(project, reply.attributes);
    const bytes = encodeReply(2, 0, request.authenticator, encodeAttributes(project, attrs), XYZZY, { messageAuthenticator: false });
    expect(bytes.equals(RFC2865_7_1_RESPONSE)).toBe(true);
    expect(decodeAttributes(project, [{ type: 64, value: hex('01 00 00 01') }])).toEqual([{ name: 'Tunnel-Type', value: 1, tag: 1 }]);
  });
});
