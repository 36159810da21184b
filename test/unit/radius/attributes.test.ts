/**
 * The attribute codec where a table of encode/decode pairs does not say it (the pairs themselves are the protocol
 * data files, test/fixtures/radius/data/, run by data-files.test.ts): alternative inputs, hiding without or with a
 * wrong CryptoContext, salts, long values, encoding errors, the text form.
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

  // Prefix zeroing, short prefixes and arrays: test/fixtures/radius/data/rfc8044.txt.
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
  // Tagged integers and strings on the wire: test/fixtures/radius/data/rfc2868.txt.
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

  // Joining only consecutive EAP-Messages: test/fixtures/radius/data/rfc2869.txt.

  it('refuses other values longer than one attribute', () => {
    expect(encodeError(() => encodeAttributes(dict, [{ name: 'Reply-Message', value: 'x'.repeat(254) }])).message).toMatch(/^Reply-Message: value of 254 octets/);
    expect(encodeError(() => encodeAttributes(dict, [{ name: 'Ex-String', value: 'x'.repeat(248) }])).message).toMatch(/^Ex-String: value of 254 octets/);
    expect(encodeAttributes(dict, [{ name: 'Ex-String', value: 'x'.repeat(247) }])[0]?.value.length).toBe(253);
  });
});

// RFC 6929 extended, long extended and evs attributes: test/fixtures/radius/data/rfc6929.txt.

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
