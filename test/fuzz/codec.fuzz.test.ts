/**
 * Property tests for the RADIUS codec (fast-check, bounded to a few seconds):
 * - any datagram either parses or fails with a RadiusError, never another error;
 * - decodeAttributes never throws on what parsePacket accepted;
 * - decode(encode(attributes)) is the identity for generated attribute lists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dictionary } from '../../src/radius/index.js';
import {
  decodeAttributes,
  encodeAttributes,
  encodePacket,
  parsePacket,
  RadiusError,
  type Attribute,
  type CryptoContext,
  type RawAttribute,
} from '../../src/radius/index.js';
import { isEscapedText, octetsToText } from '../../src/radius/octets.js';
import { testDictionary } from '../unit/radius/test-dictionary.js';
import { loadDictionaryFiles } from '../../src/config/dictionary-files.js';

const RUNS = 3000;
const dict = testDictionary();
const dictionaries: Dictionary[] = [dict];
if (existsSync('/usr/share/freeradius/dictionary')) dictionaries.push(loadDictionaryFiles(['/usr/share/freeradius/dictionary']));
const crypto: CryptoContext = { secret: Buffer.from('fuzz-secret'), authenticator: Buffer.alloc(16, 7) };

/** Parse and decode with every dictionary; any exception other than RadiusError from parsePacket fails. */
function parseAndDecode(bytes: Uint8Array): void {
  let packet;
  try {
    packet = parsePacket(Buffer.from(bytes));
  } catch (err) {
    if (!(err instanceof RadiusError)) throw err;
    return;
  }
  for (const d of dictionaries) {
    decodeAttributes(d, packet.attributes);
    decodeAttributes(d, packet.attributes, crypto);
  }
}

const FIXTURES = fileURLToPath(new URL('../fixtures/radius/', import.meta.url));
const seeds: Buffer[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.hex'))
  .map((f) =>
    Buffer.from(
      readFileSync(FIXTURES + f, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('')
        .replace(/\s+/g, ''),
      'hex',
    ),
  );

describe('parsePacket + decodeAttributes on hostile input', () => {
  it('random bytes parse or throw a RadiusError', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), parseAndDecode), { numRuns: RUNS });
  });

  it('random bytes behind a valid header parse or throw a RadiusError', () => {
    const packet = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 0, maxLength: 400 }), fc.integer({ min: -4, max: 4 }))
      .map(([code, body, slack]) => {
        const buf = Buffer.alloc(20 + body.length);
        buf[0] = code;
        buf.writeUInt16BE(Math.max(0, Math.min(0xffff, 20 + body.length + slack)), 2);
        Buffer.from(body).copy(buf, 20);
        return new Uint8Array(buf);
      });
    fc.assert(fc.property(packet, parseAndDecode), { numRuns: RUNS });
  });

  it('mutated real packets parse or throw a RadiusError', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, flips, cut }) => {
        const bytes = Buffer.from(seeds[seed] as Buffer);
        for (const [pos, value] of flips) bytes[pos % bytes.length] = value;
        parseAndDecode(cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1)));
      }),
      { numRuns: RUNS },
    );
  });

  it('well-formed packets of random attributes always decode', () => {
    // Types weighted towards the interesting decoders: VSAs of known vendors, tagged, hidden, extended.
    const vendorIds = [429, 8164, 14988, 311, 529, 32473, 32474, 32475, 32476, 32477, 32478, 32479, 32480, 14823, 9, 24757];
    const vsa = fc
      .tuple(fc.constantFrom(...vendorIds), fc.uint8Array({ maxLength: 40 }))
      .map(([id, body]) => ({ type: 26, value: Buffer.concat([Buffer.from([0, 0, id >> 8, id & 0xff]), Buffer.from(body)]) }));
    const rawAttr: fc.Arbitrary<RawAttribute> = fc.oneof(
      fc.record({ type: fc.integer({ min: 0, max: 255 }), value: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) }),
      fc.record({ type: fc.constantFrom(2, 64, 66, 69, 79, 97, 123, 241, 245), value: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) }),
      vsa,
    );
    fc.assert(
      fc.property(fc.array(rawAttr, { maxLength: 12 }), (attrs) => {
        parseAndDecode(encodePacket(1, 0, Buffer.alloc(16), attrs));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// encode ∘ decode

/** RFC 5952 text from an independent serializer (WHATWG URL), with the ::ffff:a.b.c.d form for mapped addresses. */
function canonicalIPv6(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  if (b.subarray(0, 10).every((x) => x === 0) && b.readUInt16BE(10) === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');
  return new URL(`http://[${groups}]/`).hostname.slice(1, -1);
}

const ipv4 = fc.ipV4();
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(canonicalIPv6);
const text = (max: number): fc.Arbitrary<string> =>
  // Strings decode in octets.ts's exact text form: a NUL or a `\xHH` / `\\` in the text is the escaped form (the
  // byte-level round trip of those is the property below).
  fc
    .string({ unit: 'binary', maxLength: max })
    .filter((s) => Buffer.byteLength(s) <= max && !s.includes('\uFFFD') && !s.includes('\u0000') && !isEscapedText(s));
const octets = (max: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));
const hexGroup = (bytes: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const tag = fc.integer({ min: 1, max: 31 });

const attribute: fc.Arbitrary<Attribute> = fc.oneof(
  text(200).map((value) => ({ name: 'Ex-String', value })),
  octets(200).map((value) => ({ name: 'Ex-Octets', value })),
  ipv4.map((value) => ({ name: 'Ex-IPAddr', value })),
  ipv6.map((value) => ({ name: 'Ex-IPv6Addr', value })),
  fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 128 })).map(([b, len]) => {
    const masked = Buffer.from(b);
    for (let i = 0; i < 16; i++) {
      const keep = len - i * 8;
      if (keep < 8) masked[i] = keep <= 0 ? 0 : (masked[i] as number) & (0xff << (8 - keep));
    }
    return { name: 'Ex-IPv6Prefix', value: `${canonicalIPv6(masked)}/${len}` };
  }),
  fc.tuple(hexGroup(2), hexGroup(2), hexGroup(2), hexGroup(2)).map((g) => ({ name: 'Ex-IfId', value: g.join(':') })),
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ name: 'Ex-Integer', value })),
  fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }).map((value) => ({ name: 'Ex-Integer64', value })),
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ name: 'Ex-Date', value })),
  fc.integer({ min: 0, max: 255 }).map((value) => ({ name: 'Ex-Byte', value })),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ name: 'Ex-Short', value })),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((value) => ({ name: 'Ex-Signed', value })),
  fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => ({ name: 'Ex-Ether', value: Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':') })),
  fc.oneof(ipv4, ipv6).map((value) => ({ name: 'Ex-Combo-IP', value })),
  fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([ip, len]) => {
    const n = ip.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
    const masked = len === 0 ? 0 : (n >>> (32 - len)) * 2 ** (32 - len);
    return { name: 'Ex-IPv4Prefix', value: `${[24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join('.')}/${len}` };
  }),
  fc.tuple(text(200), fc.option(tag, { nil: undefined })).map(([value, t]) => (t === undefined ? { name: 'Ex-Tagged-String', value } : { name: 'Ex-Tagged-String', value, tag: t })),
  fc.tuple(fc.integer({ min: 0, max: 0xffffff }), fc.option(tag, { nil: undefined })).map(([value, t]) =>
    t === undefined ? { name: 'Tunnel-Type', value } : { name: 'Tunnel-Type', value, tag: t },
  ),
  text(128).filter((s) => !s.endsWith('\u0000')).map((value) => ({ name: 'User-Password', value })),
  fc.tuple(text(200), fc.option(tag, { nil: undefined })).map(([value, t]) => (t === undefined ? { name: 'Tunnel-Password', value } : { name: 'Tunnel-Password', value, tag: t })),
  octets(200).map((value) => ({ name: 'MS-MPPE-Send-Key', value })),
  text(16).filter((s) => !s.includes('\u0000')).map((value) => ({ name: 'Ascend-Send-Secret', value })),
  octets(1500).filter((b) => b.length > 0).map((value) => ({ name: 'EAP-Message', value })),
  text(240).map((value) => ({ name: 'Mikrotik-Rate-Limit', value })),
  // Hidden vendor values: an integer (encrypt=2; by VALUE name in vendors.txt), octets past 128 (encrypt=1).
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ name: 'Ex-Hidden-Integer', value })),
  octets(240).filter((b) => b.length > 0 && b[b.length - 1] !== 0).map((value) => ({ name: 'Ex-Hidden-Octets', value })),
  octets(6).filter((b) => b.length === 6).map((value) => ({ name: 'Ex-Fixed', value })),
  // WiMAX continuation: values longer than one VSA.
  octets(700).map((value) => ({ name: 'Fmt-WiMAX-Octets', value })),
  fc.constantFrom('Fmt-1-0', 'Fmt-2-1', 'Fmt-2-0', 'Fmt-4-1', 'Fmt-4-2', 'Fmt-1-2', 'Fmt-WiMAX').chain((v) =>
    fc.oneof(
      text(200).map((value) => ({ name: `${v}-String`, value })),
      fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ name: `${v}-Integer`, value })),
    ),
  ),
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ name: 'Frag-Status', value })),
  text(700).map((value) => ({ name: 'Test-Long-String', value })),
  text(200).map((value) => ({ name: 'Ex-Evs-String', value })),
  fc.tuple(fc.integer({ min: 1, max: 255 }).filter((t) => dict.attributeByNumber(0, t) === undefined), octets(100)).map(([t, value]) => ({ name: `Attr-${t}`, value })),
  fc.tuple(fc.integer({ min: 100, max: 255 }), octets(100)).map(([t, value]) => ({ name: `Vendor-32473-Attr-${t}`, value })),
);

describe('encode ∘ decode', () => {
  it('decodeAttributes(encodeAttributes(x)) equals x', () => {
    fc.assert(
      fc.property(fc.array(attribute, { maxLength: 8 }), (attrs) => {
        // Attributes with an empty value are not sent (RFC 2865 §5), so they are left out of the expectation; and
        // adjacent EAP-Messages are one message on the wire (concat): keep generated ones apart.
        const sent = attrs.filter((a) => encodeAttributes(dict, [a], crypto).length > 0);
        const list = sent.filter((a, i) => !(a.name === 'EAP-Message' && sent[i - 1]?.name === 'EAP-Message'));
        expect(decodeAttributes(dict, encodeAttributes(dict, list, crypto), crypto)).toEqual(list);
      }),
      { numRuns: RUNS },
    );
  });

  it('a string attribute keeps any octets: the decoded text form encodes back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 253 }), (bytes) => {
        const raw = [{ type: 1, value: Buffer.from(bytes) }];
        const decoded = decodeAttributes(dict, raw, crypto);
        expect(decoded).toEqual([{ name: 'User-Name', value: octetsToText(Buffer.from(bytes)) }]);
        expect(encodeAttributes(dict, decoded, crypto)).toEqual(raw);
      }),
      { numRuns: RUNS },
    );
  });
});
