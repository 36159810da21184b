import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dictionary, RadiusError, type RadiusErrorCode } from '../../../src/radius/index.js';
import { PROJECT_DICTIONARY, projectDictionaryExists } from './test-dictionary.js';
import { diskDictionaryFiles, loadDictionaryFiles, parseDictionaryText } from '../../../src/config/dictionary-files.js';

const DEBIAN_DICTIONARY = '/usr/share/freeradius/dictionary';
const debianExists = existsSync(DEBIAN_DICTIONARY);
const FIXTURES = fileURLToPath(new URL('../../fixtures/radius/dictionaries/', import.meta.url));

function thrown(fn: () => unknown): RadiusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RadiusError);
    return err as RadiusError;
  }
  throw new Error('expected a RadiusError, nothing was thrown');
}

describe.skipIf(!debianExists)(
  debianExists ? "Debian's FreeRADIUS tree (/usr/share/freeradius/dictionary)" : 'Debian FreeRADIUS tree: SKIPPED, /usr/share/freeradius/dictionary not found (apt-get install freeradius-common)',
  () => {
    it('loads without error, in well under a second', () => {
      const start = performance.now();
      const dict = loadDictionaryFiles([DEBIAN_DICTIONARY]);
      const ms = performance.now() - start;
      expect(ms).toBeLessThan(1000);
      expect(dict.attributeCount).toBeGreaterThan(5000);
    });

    it('resolves what FreeRADIUS resolves', () => {
      const dict = loadDictionaryFiles([DEBIAN_DICTIONARY]);
      // dictionary.compat is loaded first: the RFC names win for numbers, the old names still resolve.
      expect(dict.attributeByNumber(0, 4)?.name).toBe('NAS-IP-Address');
      expect(dict.attribute('Client-Id')?.type).toBe(4);
      // compat's VALUEs for Service-Type come before the ATTRIBUTE: queued, applied after the RFC's own names.
      const serviceType = dict.attribute('service-type');
      expect(serviceType?.values.get('Shell-User')).toBe(6);
      expect(serviceType?.valueNames.get(6)).toBe('Administrative-User');
      expect(dict.attribute('Tunnel-Password')).toMatchObject({ type: 69, dataType: 'string', hasTag: true, encrypt: 2 });
      expect(dict.attribute('EAP-Message')).toMatchObject({ type: 79, dataType: 'octets', concat: true });
      expect(dict.attribute('Ascend-Send-Secret')).toMatchObject({ vendorId: 529, encrypt: 3 });
      expect(dict.attribute('MS-MPPE-Send-Key')).toMatchObject({ vendorId: 311, type: 16, encrypt: 2 });
      expect(dict.attribute('Mikrotik-Rate-Limit')).toMatchObject({ vendorId: 14988, type: 8, dataType: 'string' });
      expect(dict.attribute('ERX-Service-Activate')).toMatchObject({ vendorId: 4874, hasTag: true });
      expect(dict.attribute('Frag-Status')).toMatchObject({ vendorId: 0, type: 1, dataType: 'integer' });
      expect(dict.attribute('WiMAX-Release')).toMatchObject({ vendorId: 24757, type: 1, dataType: 'string' });
      expect(dict.attribute('FreeRADIUS-802.1X-Anonce')).toMatchObject({ vendorId: 11344, type: 1 });
      expect(dict.attribute('Auth-Type')?.type).toBe(1000);
      expect(dict.attribute('Juniper-Junosspace-Profile')?.dataType).toBe('string'); // spelled "String" there
      expect(dict.vendor('USR')).toEqual({ name: 'USR', id: 429, typeSize: 4, lengthSize: 0 });
      expect(dict.vendor(8164)).toEqual({ name: 'Starent', id: 8164, typeSize: 2, lengthSize: 2 });
      expect(dict.vendor('wimax')).toMatchObject({ id: 24757, typeSize: 1, lengthSize: 1 });
      expect(dict.attributeByNumber(14988, 8)?.name).toBe('Mikrotik-Rate-Limit');
    });

    it('also loads the files the main one leaves out (dhcp, vqp, wichorus TLVs)', () => {
      for (const extra of ['dictionary.dhcp', 'dictionary.vqp', 'dictionary.wimax.wichorus']) {
        const dict = loadDictionaryFiles([DEBIAN_DICTIONARY, `/usr/share/freeradius/${extra}`]);
        expect(dict.attributeCount).toBeGreaterThan(5000);
      }
      const dhcp = loadDictionaryFiles([DEBIAN_DICTIONARY, '/usr/share/freeradius/dictionary.dhcp']);
      expect(dhcp.attribute('Operator-Identifier')?.dataType).toBe('integer'); // uint32 there
    });
  },
);

describe.skipIf(!projectDictionaryExists)('the project dictionary (dictionaries/dictionary)', () => {
  it('loads without error', () => {
    const dict = loadDictionaryFiles([PROJECT_DICTIONARY]);
    expect(dict.attribute('User-Name')?.type).toBe(1);
    expect(dict.attribute('Message-Authenticator')?.type).toBe(80);
  });
});

describe('$INCLUDE and load order', () => {
  it('includes relative to the including file, skips a missing $INCLUDE-, applies early VALUEs', () => {
    const dict = loadDictionaryFiles([`${FIXTURES}dictionary.main`]);
    expect(dict.attribute('User-Name')?.type).toBe(1);
    const mode = dict.attribute('Acme-Mode');
    expect(mode).toMatchObject({ vendorId: 32473, type: 1 });
    expect(mode?.values.get('Fast')).toBe(2);
    expect(mode?.values.get('Slow')).toBe(1);
    // The 5-field form: ATTRIBUTE name number type vendorname.
    expect(dict.attribute('Acme-Standalone')).toMatchObject({ vendorId: 32473, type: 2 });
    expect(dict.attributeByNumber(32473, 2)?.name).toBe('Acme-Standalone');
  });

  it('later files override earlier ones for the same number; loadFile adds to a dictionary', () => {
    const dict = loadDictionaryFiles([`${FIXTURES}dictionary.base`, `${FIXTURES}dictionary.override`]);
    expect(dict.attributeByNumber(0, 6)?.name).toBe('Service-Kind');
    expect(dict.attribute('Service-Type')?.type).toBe(6);
    const grown = loadDictionaryFiles([`${FIXTURES}dictionary.base`]);
    expect(grown.attribute('Service-Kind')).toBeUndefined();
    grown.addFile(`${FIXTURES}dictionary.override`, diskDictionaryFiles);
    expect(grown.attribute('Service-Kind')?.values.get('Login')).toBe(1);
  });

  it('reports a missing $INCLUDE with file:line', () => {
    const err = thrown(() => loadDictionaryFiles([`${FIXTURES}dictionary.missing-include`]));
    expect(err.code).toBe('DICT_INCLUDE');
    expect(err.message).toMatch(/dictionary\.missing-include:3: cannot read \$INCLUDE .*dictionary\.nowhere/);
  });

  it('reports an include cycle', () => {
    const err = thrown(() => loadDictionaryFiles([`${FIXTURES}dictionary.cycle-a`]));
    expect(err.code).toBe('DICT_INCLUDE');
    expect(err.message).toMatch(/dictionary\.cycle-b:2: \$INCLUDE .*includes itself/);
  });

  it('reports a missing top-level file', () => {
    const err = thrown(() => loadDictionaryFiles([`${FIXTURES}nope`]));
    expect(err.code).toBe('DICT_INCLUDE');
    expect(err.message).toMatch(/nope:0: cannot read dictionary/);
  });

  it('parse() without file access refuses $INCLUDE (the protocol core reads no files)', () => {
    const err = thrown(() => Dictionary.parse('ATTRIBUTE X 1 integer\n$INCLUDE dictionary.base\n', `${FIXTURES}virtual-file`));
    expect(err.code).toBe('DICT_INCLUDE');
    expect(err.message).toMatch(/virtual-file:2: cannot read \$INCLUDE .*dictionary\.base: no dictionary files given/);
  });

  it('parse() resolves $INCLUDE relative to the given file name', () => {
    const dict = parseDictionaryText('$INCLUDE dictionary.base\nVALUE Service-Type Login-User 1\n', `${FIXTURES}virtual-file`);
    expect(dict.attribute('Service-Type')?.values.get('Login-User')).toBe(1);
  });
});

describe('syntax', () => {
  it('reads numbers, types, flags and comments as FreeRADIUS does', () => {
    const dict = Dictionary.parse(
      [
        'ATTRIBUTE  Hexed          0x1A     vsa',
        'ATTRIBUTE  Fixed          30       octets[16]   # trailing comment',
        'ATTRIBUTE  Capital        31       String#glued comment',
        'ATTRIBUTE  V4-Style       32       uint32',
        'ATTRIBUTE  Tagged         33       integer      has_tag',
        'ATTRIBUTE  Hidden         34       string       encrypt=1',
        'ATTRIBUTE  Both           35       string       has_tag,encrypt=2',
        'ATTRIBUTE  Joined         36       octets       concat',
        'ATTRIBUTE  Unknown-Flags  37       string       print_hex,foo=bar,whatever',
        'ATTRIBUTE  Many           38       ipaddr       array',
        'ATTRIBUTE  Virt           39       string       virtual',
        'ATTRIBUTE  Secret-Thing   40       string       secret',
      ].join('\n'),
      'flags.dict',
    );
    expect(dict.attribute('hexed')).toMatchObject({ type: 26, dataType: 'vsa' });
    expect(dict.attribute('Fixed')).toMatchObject({ type: 30, dataType: 'octets' });
    expect(dict.attribute('Capital')?.dataType).toBe('string');
    expect(dict.attribute('V4-Style')?.dataType).toBe('integer');
    expect(dict.attribute('Tagged')).toMatchObject({ hasTag: true, encrypt: 0 });
    expect(dict.attribute('Hidden')).toMatchObject({ hasTag: false, encrypt: 1 });
    expect(dict.attribute('Both')).toMatchObject({ hasTag: true, encrypt: 2 });
    expect(dict.attribute('Joined')?.concat).toBe(true);
    expect(dict.attribute('Unknown-Flags')).toMatchObject({ hasTag: false, encrypt: 0, concat: false });
    expect(dict.attributeCount).toBe(12);
  });

  it('handles vendors, formats, BEGIN-VENDOR blocks and lookups in any case', () => {
    const dict = Dictionary.parse(
      [
        'VENDOR Acme 32473',
        'VENDOR Wide 32474 format=2,2',
        'VENDOR Fourty 32475 format=4,0',
        'VENDOR Wimaxish 32476 format=1,1,c',
        'BEGIN-VENDOR Acme',
        'ATTRIBUTE Acme-One 1 integer',
        'VALUE Acme-One First 1',
        'VALUE Acme-One Also-First 1',
        'VALUE Acme-One Hex 0x10',
        'VALUE Acme-One Minus -1',
        'END-VENDOR Acme',
        'BEGIN-VENDOR wide',
        'ATTRIBUTE Wide-Big 300 string',
        'END-VENDOR wide',
      ].join('\n'),
      'vendors.dict',
    );
    expect(dict.vendor('ACME')).toEqual({ name: 'Acme', id: 32473, typeSize: 1, lengthSize: 1 });
    expect(dict.vendor(32474)).toEqual({ name: 'Wide', id: 32474, typeSize: 2, lengthSize: 2 });
    expect(dict.vendor('Fourty')).toMatchObject({ typeSize: 4, lengthSize: 0 });
    expect(dict.vendor('Wimaxish')).toMatchObject({ typeSize: 1, lengthSize: 1 });
    expect(dict.vendor('nobody')).toBeUndefined();
    const one = dict.attribute('ACME-ONE');
    expect(one?.values.get('First')).toBe(1);
    expect(one?.values.get('Also-First')).toBe(1);
    expect(one?.valueNames.get(1)).toBe('First');
    expect(one?.values.get('Hex')).toBe(16);
    expect(one?.values.get('Minus')).toBe(-1);
    expect(dict.attributeByNumber(32474, 300)?.name).toBe('Wide-Big');
    expect(dict.attributeByNumber(32473, 2)).toBeUndefined();
  });

  it('accepts dotted numbers, TLV blocks, extended and evs attributes, and skips v3.2/v4 directives', () => {
    const dict = Dictionary.parse(
      [
        'PROTOCOL RADIUS 1',
        'FLAGS internal',
        'ATTRIBUTE Extended-Attribute-1 241 extended',
        'ATTRIBUTE Extended-Vendor-Specific-1 241.26 evs',
        'ATTRIBUTE Frag-Status 241.1 integer',
        'ATTRIBUTE IP-Port-Limit-Info 241.5 tlv',
        'ATTRIBUTE IP-Port-Type 241.5.1 integer',
        'ATTRIBUTE Orphan 250.7.1 integer',
        'VENDOR Acme 32473',
        'ATTRIBUTE Acme-Via-Path 26.32473.9 string',
        'ATTRIBUTE Nobody-Via-Path 26.99999.9 string',
        'ATTRIBUTE Evs-Via-Path 241.26.32473.3 string',
        'BEGIN-VENDOR Acme',
        'ATTRIBUTE Acme-Caps 1 tlv',
        'ATTRIBUTE Acme-Caps-Release 1.1 string',
        'BEGIN-TLV Acme-Caps',
        'ATTRIBUTE Acme-Caps-Level 2 byte',
        'END-TLV Acme-Caps',
        'END-VENDOR Acme',
        'BEGIN-VENDOR Acme format=Extended-Vendor-Specific-1',
        'ATTRIBUTE Acme-Extended 1 string',
        'END-VENDOR Acme',
        'BEGIN-VENDOR Acme format=Vendor-Specific',
        'ATTRIBUTE Acme-Plain 4 string',
        'END-VENDOR Acme',
        'BEGIN Acme-Caps',
        'ATTRIBUTE Acme-Caps-Other 3 short',
        'END Acme-Caps',
        'ALIAS Frag Frag-Status',
        'STRUCT Some-Struct Foo 1',
        'MEMBER Field uint8',
        'ENUM Some-Enum integer',
        'DEFINE Some-Define string',
      ].join('\n'),
      'dotted.dict',
    );
    expect(dict.attribute('Frag-Status')).toMatchObject({ vendorId: 0, type: 1 });
    expect(dict.attribute('Frag')?.name).toBe('Frag-Status');
    expect(dict.attribute('IP-Port-Type')).toMatchObject({ type: 1, dataType: 'integer' });
    expect(dict.attribute('Orphan')?.type).toBe(1); // parent unknown: known by name only
    expect(dict.attribute('Acme-Via-Path')).toMatchObject({ vendorId: 32473, type: 9 });
    expect(dict.attributeByNumber(32473, 9)?.name).toBe('Acme-Via-Path');
    expect(dict.attribute('Nobody-Via-Path')?.type).toBe(9);
    expect(dict.attribute('Evs-Via-Path')).toMatchObject({ vendorId: 32473, type: 3 });
    expect(dict.attribute('Acme-Caps-Release')).toMatchObject({ vendorId: 32473, type: 1 });
    expect(dict.attribute('Acme-Caps-Level')).toMatchObject({ vendorId: 32473, type: 2 });
    expect(dict.attribute('Acme-Caps-Other')).toMatchObject({ vendorId: 32473, type: 3 });
    expect(dict.attribute('Acme-Extended')).toMatchObject({ vendorId: 32473, type: 1 });
    expect(dict.attributeByNumber(32473, 4)?.name).toBe('Acme-Plain');
    // Members are not top-level attributes.
    expect(dict.attributeByNumber(32473, 2)).toBeUndefined();
    expect(dict.attributeByNumber(0, 1)).toBeUndefined();
  });
});

describe('errors name file:line and the cause', () => {
  const cases: readonly [string, RadiusErrorCode, RegExp][] = [
    ['FOO bar', 'DICT_SYNTAX', /^bad\.dict:1: unknown keyword "FOO"$/],
    ['\n# comment\n\nATTRIBUTE X', 'DICT_SYNTAX', /^bad\.dict:4: ATTRIBUTE needs a name, a number and a type$/],
    ['ATTRIBUTE X abc string', 'DICT_SYNTAX', /^bad\.dict:1: ATTRIBUTE X: invalid number "abc"$/],
    ['ATTRIBUTE X 1.x string', 'DICT_SYNTAX', /invalid number "1\.x"/],
    ['ATTRIBUTE X 1 string has_tag extra', 'DICT_SYNTAX', /unexpected "extra"/],
    ['ATTRIBUTE X 1 strung', 'DICT_BAD_TYPE', /^bad\.dict:1: ATTRIBUTE X: unknown data type "strung"$/],
    ['ATTRIBUTE X 1 string encrypt=7', 'DICT_SYNTAX', /invalid "encrypt=7"/],
    ['ATTRIBUTE X 1 ipaddr has_tag', 'DICT_SYNTAX', /has_tag is only valid for string and integer/],
    ['ATTRIBUTE X 1 string NoSuchVendor', 'DICT_UNKNOWN_VENDOR', /^bad\.dict:1: ATTRIBUTE X: vendor "NoSuchVendor" not defined$/],
    ['BEGIN-VENDOR Nope', 'DICT_UNKNOWN_VENDOR', /^bad\.dict:1: BEGIN-VENDOR Nope: vendor not defined/],
    ['VENDOR V 10\nBEGIN-VENDOR V format=Nope-1', 'DICT_UNKNOWN_ATTRIBUTE', /^bad\.dict:2: .*not a defined evs attribute/],
    ['VENDOR V 10\nBEGIN-VENDOR V\nATTRIBUTE A 1 string\n', 'DICT_SYNTAX', /^bad\.dict:4: BEGIN-VENDOR V is never closed$/],
    ['END-VENDOR V', 'DICT_SYNTAX', /^bad\.dict:1: END-VENDOR V without BEGIN-VENDOR$/],
    ['VENDOR V 10\nVENDOR W 11\nBEGIN-VENDOR V\nEND-VENDOR W', 'DICT_SYNTAX', /^bad\.dict:4: END-VENDOR W does not match the open BEGIN-VENDOR V$/],
    ['VENDOR V 10 format=3,1', 'DICT_SYNTAX', /^bad\.dict:1: VENDOR V: invalid "format=3,1"/],
    ['VENDOR V 10 format=2,1,c', 'DICT_SYNTAX', /continuation flag needs format=1,1/],
    ['VENDOR V abc', 'DICT_SYNTAX', /invalid vendor number "abc"/],
    ['BEGIN-TLV Nope', 'DICT_UNKNOWN_ATTRIBUTE', /^bad\.dict:1: BEGIN-TLV Nope: attribute not defined$/],
    ['ATTRIBUTE X 1 string\nBEGIN-TLV X', 'DICT_SYNTAX', /^bad\.dict:2: BEGIN-TLV X: attribute of type string has no members$/],
    ['ATTRIBUTE X 1 integer\nVALUE X A one', 'DICT_SYNTAX', /^bad\.dict:2: VALUE X A: invalid number "one"$/],
    ['ATTRIBUTE X 1 integer\n\nVALUE Nope A 1', 'DICT_UNKNOWN_ATTRIBUTE', /^bad\.dict:3: VALUE A for attribute "Nope", which is not defined$/],
    ['$INCLUDE', 'DICT_SYNTAX', /\$INCLUDE needs exactly one file name/],
    ['$INCLUDE /nonexistent/dictionary.x', 'DICT_INCLUDE', /^bad\.dict:1: cannot read \$INCLUDE \/nonexistent\/dictionary\.x/],
  ];
  it.each(cases)('%j -> %s', (text, code, message) => {
    const err = thrown(() => parseDictionaryText(text, 'bad.dict'));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('$INCLUDE- of a missing file is not an error', () => {
    expect(parseDictionaryText('$INCLUDE- /nonexistent/dictionary.x\n', 'ok.dict').attributeCount).toBe(0);
  });
});
