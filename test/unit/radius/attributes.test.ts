/**
 * The attribute codec: decode(encode(x)) === x for every data type, vendor format, tag and hiding; the wire bytes
 * for each type; what decoding does with values that do not fit; encoding errors.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeAttributes,
  encodeAttribute,
  encodeAttributes,
  formatAttribute,
  RadiusError,
  writeAttributes,
  type Attribute,
  type CryptoContext,
  type RawAttribute,
} from '../../../src/radius/index.js';
import { FORMAT_VENDOR_ATTRIBUTES, hex, testDictionary } from './test-dictionary.js';

const dict = testDictionary();
const crypto: CryptoContext = { secret: Buffer.from('s3cret-shared-key'), authenticator: hex('0f0e0d0c0b0a09080706050403020100') };

function wire(attrs: readonly RawAttribute[]): string {
  const buf = Buffer.alloc(attrs.reduce((n, a) => n + 2 + a.value.length, 0));
  writeAttributes(buf, 0, attrs);
  return buf.toString('hex');
}

function roundTrip(attrs: readonly Attribute[], ctx?: CryptoContext): Attribute[] {
  return decodeAttributes(dict, encodeAttributes(dict, attrs, ctx), ctx);
}

function encodeError(fn: () => unknown): RadiusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RadiusError);
    return err as RadiusError;
  }
  throw new Error('expected a RadiusError');
}

// One value of every data type, encoded and decoded: test/fixtures/radius/data/rfc8044.txt (data-files.test.ts).
describe('every data type', () => {
  it('accepts the documented alternative inputs', () => {
    const same = (a: Attribute, b: Attribute): void => expect(wire([encodeAttribute(dict, a)])).toBe(wire([encodeAttribute(dict, b)]));
    same({ name: 'Ex-String', value: Buffer.from('abc') }, { name: 'Ex-String', value: 'abc' });
    same({ name: 'Ex-Octets', value: '0x00FF10' }, { name: 'Ex-Octets', value: hex('00ff10') });
    same({ name: 'Ex-Octets', value: 'abc' }, { name: 'Ex-Octets', value: Buffer.from('abc') });
    same({ name: 'Ex-Integer', value: 'Seven' }, { name: 'Ex-Integer', value: 7 });
    same({ name: 'Ex-Integer', value: 'seven' }, { name: 'Ex-Integer', value: 7 });
    same({ name: 'Ex-Integer', value: '7' }, { name: 'Ex-Integer', value: 7 });
    same({ name: 'Ex-Integer', value: 7n }, { name: 'Ex-Integer', value: 7 });
    same({ name: 'Ex-Byte', value: 'One' }, { name: 'Ex-Byte', value: 1 });
    same({ name: 'Ex-Signed', value: 'Minus-One' }, { name: 'Ex-Signed', value: -1 });
    same({ name: 'Ex-Signed', value: '-5' }, { name: 'Ex-Signed', value: -5 });
    same({ name: 'Ex-Integer64', value: 42 }, { name: 'Ex-Integer64', value: 42n });
    same({ name: 'Ex-Integer64', value: '18446744073709551615' }, { name: 'Ex-Integer64', value: 18446744073709551615n });
    same({ name: 'Ex-Ether', value: '00-1A-2B-3C-4D-5E' }, { name: 'Ex-Ether', value: '00:1a:2b:3c:4d:5e' });
    same({ name: 'Ex-Ether', value: '001a2b3c4d5e' }, { name: 'Ex-Ether', value: '00:1a:2b:3c:4d:5e' });
    same({ name: 'Ex-IfId', value: '211:22ff:fe33:4455' }, { name: 'Ex-IfId', value: '0211:22ff:fe33:4455' });
    same({ name: 'Ex-IPv6Addr', value: '2001:DB8:0:0:0:0:0:1' }, { name: 'Ex-IPv6Addr', value: '2001:db8::1' });
    same({ name: 'Ex-IPAddr', value: hex('0a00ff01') }, { name: 'Ex-IPAddr', value: '10.0.255.1' });
    same({ name: 'ex-ipaddr', value: '10.0.255.1' }, { name: 'Ex-IPAddr', value: '10.0.255.1' });
  });

  it('zeroes prefix bits beyond the prefix length (RFC 3162 §2.3, RFC 6572 §3)', () => {
    const v6 = encodeAttribute(dict, { name: 'Ex-IPv6Prefix', value: '2001:db8:1:2::5/48' });
    expect(decodeAttributes(dict, [v6])).toEqual([{ name: 'Ex-IPv6Prefix', value: '2001:db8:1::/48' }]);
    const v4 = encodeAttribute(dict, { name: 'Ex-IPv4Prefix', value: '192.0.2.77/26' });
    expect(decodeAttributes(dict, [v4])).toEqual([{ name: 'Ex-IPv4Prefix', value: '192.0.2.64/26' }]);
  });

  it('decodes short IPv6 prefixes (prefix octets left out)', () => {
    expect(decodeAttributes(dict, [{ type: 97, value: hex('0040 20010db8 00000001') }])).toEqual([
      { name: 'Framed-IPv6-Prefix', value: '2001:db8:0:1::/64' },
    ]);
    expect(decodeAttributes(dict, [{ type: 123, value: hex('0000') }])).toEqual([{ name: 'Delegated-IPv6-Prefix', value: '::/0' }]);
  });

  it('splits an array attribute into its values', () => {
    const raw: RawAttribute = { type: 26, value: hex('00007ed9 140a 0a000001 0a000002') };
    expect(decodeAttributes(dict, [raw])).toEqual([
      { name: 'Ex-IP-Array', value: '10.0.0.1' },
      { name: 'Ex-IP-Array', value: '10.0.0.2' },
    ]);
  });
});

// Values that do not fit their type, decoded raw and encoded back: test/fixtures/radius/data/malformed-values.txt.
describe('values that do not fit their type decode raw, never throw', () => {
  it('decodes every sub-attribute of one VSA', () => {
    const raw: RawAttribute = { type: 26, value: hex('00007ed9 0105 616263 0706 00000007 fe03 41') };
    expect(decodeAttributes(dict, [raw])).toEqual([
      { name: 'Ex-String', value: 'abc' },
      { name: 'Ex-Integer', value: 7 },
      { name: 'Vendor-32473-Attr-254', value: hex('41') },
    ]);
  });
});

describe('vendor formats', () => {
  it.each(FORMAT_VENDOR_ATTRIBUTES)('%s round-trips', (name) => {
    const value = name.endsWith('-String') ? 'some text' : 123456;
    const raw = encodeAttribute(dict, { name, value });
    expect(decodeAttributes(dict, [raw])).toEqual([{ name, value }]);
  });

  // Each format's header, byte for byte: test/fixtures/radius/data/vendors.txt.

  it('decodes several sub-attributes of a 2,2 vendor in one VSA', () => {
    const raw: RawAttribute = { type: 26, value: hex('00007edb 0001 04 61 00c8 07 000001c8') };
    expect(decodeAttributes(dict, [raw])).toEqual([
      { name: 'Fmt-2-1-String', value: 'a' },
      { name: 'Fmt-2-1-Integer', value: 456 },
    ]);
  });

  it('encodes unknown-vendor raw names as format 1,1', () => {
    const raw = encodeAttribute(dict, { name: 'Vendor-65535-Attr-3', value: '0x4142' });
    expect(wire([raw])).toBe('1a0a0000ffff03044142');
  });
});

describe('tags (RFC 2868 §3.1)', () => {
  it('integers carry the tag in their first octet', () => {
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Type', value: 'VLAN', tag: 3 }]))).toBe('40060300000d');
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Medium-Type', value: 6 }]))).toBe('410600000006');
    expect(roundTrip([{ name: 'Ex-Tagged-Integer', value: 0xffffff, tag: 31 }])).toEqual([{ name: 'Ex-Tagged-Integer', value: 0xffffff, tag: 31 }]);
  });

  it('strings get a tag octet only when tagged, or when their first octet would read as one', () => {
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Client-Endpoint', value: '10.0.0.1', tag: 1 }]))).toBe('420b0131302e302e302e31');
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Client-Endpoint', value: '10.0.0.1' }]))).toBe('420a31302e302e302e31');
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Client-Endpoint', value: '10.0.0.1', tag: 0 }]))).toBe('420a31302e302e302e31');
    expect(wire(encodeAttributes(dict, [{ name: 'Tunnel-Client-Endpoint', value: '\u0005x' }]))).toBe('42050005' + '78');
    for (const attr of [
      { name: 'Tunnel-Client-Endpoint', value: 'host', tag: 7 },
      { name: 'Tunnel-Client-Endpoint', value: 'host' },
      { name: 'Tunnel-Client-Endpoint', value: '\u0001starts with a control character' },
      { name: 'Ex-Tagged-String', value: 'vendor tagged', tag: 2 },
    ]) {
      expect(roundTrip([attr])).toEqual([attr]);
    }
  });

  it('rejects a tag on an untagged attribute and tags out of range', () => {
    expect(encodeError(() => encodeAttribute(dict, { name: 'User-Name', value: 'x', tag: 1 })).message).toBe('User-Name: takes no tag (got 1)');
    expect(encodeError(() => encodeAttribute(dict, { name: 'Tunnel-Type', value: 1, tag: 32 })).code).toBe('RADIUS_ENCODE_VALUE');
    expect(encodeError(() => encodeAttribute(dict, { name: 'Tunnel-Type', value: 0x1000000, tag: 1 })).message).toMatch(/not an integer in 0\.\.16777215/);
  });
});

describe('hidden attributes', () => {
  const cases: readonly Attribute[] = [
    { name: 'User-Password', value: 'arctangent' },
    { name: 'User-Password', value: '' },
    { name: 'User-Password', value: 'x'.repeat(128) },
    { name: 'User-Password', value: 'пароль' },
    { name: 'Tunnel-Password', value: 'tunnel secret', tag: 5 },
    { name: 'Tunnel-Password', value: 'untagged' },
    { name: 'MS-MPPE-Send-Key', value: hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff') },
    { name: 'MS-MPPE-Recv-Key', value: Buffer.alloc(0) },
    { name: 'Ascend-Send-Secret', value: 'ascend' },
    { name: 'Ascend-Send-Secret', value: 'sixteen-octets!!' },
  ];
  it.each(cases)('%j round-trips with a CryptoContext', (attr) => {
    const raw = encodeAttributes(dict, [attr], crypto);
    expect(decodeAttributes(dict, raw, crypto)).toEqual([attr]);
    // Hidden on the wire: the plaintext does not appear.
    if (typeof attr.value === 'string' && attr.value.length > 3) expect(wire(raw)).not.toContain(Buffer.from(attr.value).toString('hex'));
  });

  it('without a CryptoContext decode to the raw value under their name, which encodes back unchanged', () => {
    const raw = encodeAttributes(dict, cases, crypto);
    const opaque = decodeAttributes(dict, raw);
    expect(opaque.map((a) => a.name)).toEqual(cases.map((a) => a.name));
    for (const a of opaque) expect(Buffer.isBuffer(a.value)).toBe(true);
    expect(wire(encodeAttributes(dict, opaque))).toBe(wire(raw));
  });

  it('a different secret does not reveal Tunnel-Password (decoded raw or as garbage, never thrown)', () => {
    const raw = encodeAttributes(dict, [{ name: 'Tunnel-Password', value: 'secret' }], crypto);
    const other = decodeAttributes(dict, raw, { ...crypto, secret: Buffer.from('other') });
    expect(other).toHaveLength(1);
    expect(other[0]?.value).not.toBe('secret');
  });

  it('gives each salted attribute of a packet its own salt', () => {
    const attrs = Array.from({ length: 200 }, (_, i) => ({ name: 'Tunnel-Password', value: `p${i}`, tag: 1 }));
    const raw = encodeAttributes(dict, attrs, crypto);
    const salts = new Set(raw.map((a) => a.value.readUInt16BE(1)));
    expect(salts.size).toBe(200);
    for (const s of salts) expect(s & 0x8000).toBe(0x8000);
  });

  it('needs a CryptoContext to hide a plaintext value', () => {
    const err = encodeError(() => encodeAttribute(dict, { name: 'User-Password', value: 'x' }));
    expect(err.message).toBe('User-Password: is hidden on the wire: pass a CryptoContext (secret and Request Authenticator)');
    expect(encodeError(() => encodeAttribute(dict, { name: 'User-Password', value: 'x'.repeat(129) }, crypto)).message).toMatch(/^User-Password: /);
    expect(encodeError(() => encodeAttribute(dict, { name: 'Ascend-Send-Secret', value: 'x'.repeat(17) }, crypto)).message).toMatch(/at most 16/);
  });
});

describe('long values', () => {
  it('splits a concat attribute (EAP-Message) and joins it back', () => {
    const eap = Buffer.alloc(1000, 0xab);
    const raw = encodeAttributes(dict, [{ name: 'EAP-Message', value: eap }]);
    expect(raw.map((a) => a.value.length)).toEqual([253, 253, 253, 241]);
    expect(decodeAttributes(dict, raw)).toEqual([{ name: 'EAP-Message', value: eap }]);
    expect(encodeError(() => encodeAttribute(dict, { name: 'EAP-Message', value: eap })).message).toBe(
      'EAP-Message: value of 1000 octets is longer than the 253 one attribute holds',
    );
  });

  it('joins only consecutive concat attributes', () => {
    const raw: RawAttribute[] = [
      { type: 79, value: hex('0102') },
      { type: 79, value: hex('0304') },
      { type: 1, value: Buffer.from('u') },
      { type: 79, value: hex('05') },
    ];
    expect(decodeAttributes(dict, raw)).toEqual([
      { name: 'EAP-Message', value: hex('01020304') },
      { name: 'User-Name', value: 'u' },
      { name: 'EAP-Message', value: hex('05') },
    ]);
  });

  it('refuses other values longer than one attribute', () => {
    expect(encodeError(() => encodeAttributes(dict, [{ name: 'Reply-Message', value: 'x'.repeat(254) }])).message).toMatch(/^Reply-Message: value of 254 octets/);
    expect(encodeError(() => encodeAttributes(dict, [{ name: 'Ex-String', value: 'x'.repeat(248) }])).message).toMatch(/^Ex-String: value of 254 octets/);
    expect(encodeAttributes(dict, [{ name: 'Ex-String', value: 'x'.repeat(247) }])[0]?.value.length).toBe(253);
  });
});

describe('RFC 6929 extended attributes', () => {
  it('encodes short extended, long extended (fragmented) and evs attributes, and decodes them back', () => {
    const long = 'L'.repeat(600);
    const attrs: Attribute[] = [
      { name: 'Frag-Status', value: 2 },
      { name: 'Test-Long-String', value: 'short one' },
      { name: 'Test-Long-String', value: long },
      { name: 'Ex-Evs-String', value: 'inside evs' },
      { name: 'Ex-Evs-Integer', value: 9 },
    ];
    const raw = encodeAttributes(dict, attrs);
    expect(wire(raw.slice(0, 2))).toBe('f1070100000002' + 'f50d0100' + Buffer.from('short one').toString('hex'));
    expect(raw.slice(2, 5).map((a) => [a.type, a.value[0], a.value[1], a.value.length])).toEqual([
      [245, 1, 0x80, 253],
      [245, 1, 0x80, 253],
      [245, 1, 0x00, 2 + 600 - 2 * 251],
    ]);
    expect(wire([raw[5] as RawAttribute])).toBe('f1' + '12' + '1a' + '00007ee1' + '01' + Buffer.from('inside evs').toString('hex'));
    expect(decodeAttributes(dict, raw)).toEqual(attrs);
  });

  it('encodes an extended raw name', () => {
    expect(wire([encodeAttribute(dict, { name: 'Attr-241.9', value: '0x41' })])).toBe('f1040941');
    expect(wire([encodeAttribute(dict, { name: 'Attr-245.9', value: '0x41' })])).toBe('f505090041');
    expect(wire([encodeAttribute(dict, { name: 'Attr-241.26.32473.9', value: '0x41' })])).toBe('f1091a00007ed90941');
  });
});

describe('encoding errors name the attribute', () => {
  const cases: readonly [Attribute, string, RegExp][] = [
    [{ name: 'No-Such-Attribute', value: 1 }, 'RADIUS_UNKNOWN_ATTRIBUTE', /^attribute "No-Such-Attribute" is not in the dictionary$/],
    [{ name: 'Attr-256', value: '0x00' }, 'RADIUS_UNKNOWN_ATTRIBUTE', /Attr-256/],
    [{ name: 'Vendor-x-Attr-1', value: '0x00' }, 'RADIUS_UNKNOWN_ATTRIBUTE', /Vendor-x-Attr-1/],
    [{ name: 'Auth-Type', value: 1 }, 'RADIUS_ENCODE_VALUE', /^Auth-Type: is a server-internal attribute/],
    [{ name: 'Framed-IP-Address', value: '10.0.0' }, 'RADIUS_ENCODE_VALUE', /^Framed-IP-Address: "10\.0\.0" is not an IPv4 address/],
    [{ name: 'Framed-IP-Address', value: '10.0.0.256' }, 'RADIUS_ENCODE_VALUE', /^Framed-IP-Address: /],
    [{ name: 'Framed-IP-Address', value: 7 }, 'RADIUS_ENCODE_VALUE', /^Framed-IP-Address: 7 is not an IPv4 address/],
    [{ name: 'NAS-IPv6-Address', value: '2001:db8::1::2' }, 'RADIUS_ENCODE_VALUE', /^NAS-IPv6-Address: /],
    [{ name: 'NAS-IPv6-Address', value: '1:2:3:4:5:6:7' }, 'RADIUS_ENCODE_VALUE', /^NAS-IPv6-Address: /],
    [{ name: 'Framed-IPv6-Prefix', value: '2001:db8::/129' }, 'RADIUS_ENCODE_VALUE', /^Framed-IPv6-Prefix: .*IPv6 prefix/],
    [{ name: 'Framed-IPv6-Prefix', value: '2001:db8::' }, 'RADIUS_ENCODE_VALUE', /^Framed-IPv6-Prefix: /],
    [{ name: 'Session-Timeout', value: -1 }, 'RADIUS_ENCODE_VALUE', /^Session-Timeout: -1 is not an integer in 0\.\.4294967295$/],
    [{ name: 'Session-Timeout', value: 1.5 }, 'RADIUS_ENCODE_VALUE', /^Session-Timeout: /],
    [{ name: 'Session-Timeout', value: 2 ** 32 }, 'RADIUS_ENCODE_VALUE', /^Session-Timeout: /],
    [{ name: 'Service-Type', value: 'Nonsense-User' }, 'RADIUS_ENCODE_VALUE', /^Service-Type: "Nonsense-User" is not a VALUE of Service-Type nor a number$/],
    [{ name: 'Ex-Byte', value: 256 }, 'RADIUS_ENCODE_VALUE', /^Ex-Byte: /],
    [{ name: 'Ex-Signed', value: 2 ** 31 }, 'RADIUS_ENCODE_VALUE', /^Ex-Signed: /],
    [{ name: 'Ex-Integer64', value: -1 }, 'RADIUS_ENCODE_VALUE', /^Ex-Integer64: /],
    [{ name: 'Ex-Ether', value: '00:11:22:33:44' }, 'RADIUS_ENCODE_VALUE', /^Ex-Ether: /],
    [{ name: 'Ex-IfId', value: 'zz' }, 'RADIUS_ENCODE_VALUE', /^Ex-IfId: /],
    [{ name: 'Ex-Octets', value: '0x123' }, 'RADIUS_ENCODE_VALUE', /^Ex-Octets: "0x123" is not a valid 0x hex string$/],
    [{ name: 'Ex-Octets', value: 5 }, 'RADIUS_ENCODE_VALUE', /^Ex-Octets: 5 is not octets/],
    [{ name: 'Ex-IPAddr', value: hex('0102') }, 'RADIUS_ENCODE_VALUE', /^Ex-IPAddr: a Buffer value must be 4 octets, got 2$/],
    [{ name: 'User-Name', value: 5 }, 'RADIUS_ENCODE_VALUE', /^User-Name: 5 is not a string or Buffer$/],
  ];
  it.each(cases)('%j -> %s', (attr, code, message) => {
    const err = encodeError(() => encodeAttribute(dict, attr));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });
});

describe('formatAttribute', () => {
  it('prints like radclient, with hidden values redacted', () => {
    const f = (a: Attribute): string => formatAttribute(dict, a);
    expect(f({ name: 'User-Name', value: 'nemo' })).toBe('User-Name = "nemo"');
    expect(f({ name: 'Reply-Message', value: 'say "hi"\\\n\u0001' })).toBe('Reply-Message = "say \\"hi\\"\\\\\\n\\001"');
    expect(f({ name: 'Service-Type', value: 2 })).toBe('Service-Type = Framed-User');
    expect(f({ name: 'Service-Type', value: 99 })).toBe('Service-Type = 99');
    expect(f({ name: 'Tunnel-Type', value: 13, tag: 2 })).toBe('Tunnel-Type:2 = VLAN');
    expect(f({ name: 'Framed-IP-Address', value: '10.0.0.1' })).toBe('Framed-IP-Address = 10.0.0.1');
    expect(f({ name: 'State', value: hex('00ff') })).toBe('State = 0x00ff');
    expect(f({ name: 'Ex-Integer64', value: 7n })).toBe('Ex-Integer64 = 7');
    expect(f({ name: 'Ex-Integer', value: 7 })).toBe('Ex-Integer = Seven');
    expect(f({ name: 'User-Password', value: 'arctangent' })).toBe('User-Password = <redacted>');
    expect(f({ name: 'Tunnel-Password', value: 'x', tag: 1 })).toBe('Tunnel-Password:1 = <redacted>');
    expect(f({ name: 'Attr-200', value: hex('01') })).toBe('Attr-200 = 0x01');
    expect(f({ name: 'Mikrotik-Rate-Limit', value: '10M/50M' })).toBe('Mikrotik-Rate-Limit = "10M/50M"');
  });
});
