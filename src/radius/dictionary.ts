/**
 * FreeRADIUS v3 dictionary parser. Pure: it parses text, and asks a DictionaryFiles (src/config/dictionary-files.ts
 * reads them from disk) for the files named by `$INCLUDE`, so that the protocol core does no I/O of its own.
 *
 * Everything the codec needs per packet is resolved here, once: attributes by number (an array for the standard
 * space, a Map per vendor), the codec kind of each data type, parents of TLV / extended members, and the vendor
 * formats. The parser follows FreeRADIUS 3.2 `dict.c`: later definitions override earlier ones for lookups by
 * number (so `dictionary.compat` loaded first keeps only its names), VALUEs for an attribute defined later in the
 * same load are queued and applied at the end (so the RFC names win over the compat names), and every error names
 * `file:line` and the cause.
 */
import { RadiusError, type RadiusErrorCode } from './errors.js';

/**
 * Where the text of dictionary files comes from. The parser keeps the include stack (cycles, depth) and names
 * `file:line` in every error; this says what a name refers to and reads it.
 */
export interface DictionaryFiles {
  /** The file `target` names: relative to the folder of `from` (an including file), else to the current folder. */
  resolve(target: string, from?: string): string;
  /** The text of a file; throws (with the system's reason) when it cannot be read. */
  read(path: string): string;
  exists(path: string): boolean;
}

/** For text parsed without file access: `$INCLUDE` cannot be read, `$INCLUDE-` finds nothing. */
const NO_FILES: DictionaryFiles = {
  resolve: (target) => target,
  read: () => {
    throw new Error('no dictionary files given to read it from');
  },
  exists: () => false,
};

/**
 * Data types found in FreeRADIUS v3 (and a few v3.2/v4) dictionaries. The v4 spellings `uint8`, `uint16`,
 * `uint32`, `uint64`, `int32` and `ipv4addr` are normalised at load to their v3 names (`byte`, `short`,
 * `integer`, `integer64`, `signed`, `ipaddr`) so consumers switch on one name. Types the codec does not know
 * (`struct`, `bool`, `float32`, ...) decode as octets.
 */
export type DataType =
  | 'string'
  | 'octets'
  | 'ipaddr'
  | 'ipv6addr'
  | 'ipv6prefix'
  | 'ifid'
  | 'integer'
  | 'integer64'
  | 'date'
  | 'byte'
  | 'short'
  | 'signed'
  | 'ether'
  | 'abinary'
  | 'combo-ip'
  | 'ipv4prefix'
  | 'tlv'
  | 'vsa'
  | 'extended'
  | 'long-extended'
  | 'evs'
  | 'struct'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'int32'
  | 'int8'
  | 'int16'
  | 'int64'
  | 'bool'
  | 'float32'
  | 'float64'
  | 'time_delta'
  | 'size'
  | 'group'
  | 'ipv4addr'
  | 'combo-ipv4prefix'
  | 'combo-ipv6prefix';

export interface VendorDef {
  readonly name: string;
  readonly id: number;
  readonly typeSize: 1 | 2 | 4;
  readonly lengthSize: 0 | 1 | 2;
}

export interface AttributeDef {
  readonly name: string;
  /** 0 = standard attribute space. */
  readonly vendorId: number;
  /** Number within its parent: the vendor, the TLV, or the extended attribute (the last dotted component). */
  readonly type: number;
  readonly dataType: DataType;
  readonly hasTag: boolean;
  readonly encrypt: 0 | 1 | 2 | 3;
  readonly concat: boolean;
  /** VALUE name -> number, names as written. */
  readonly values: ReadonlyMap<string, number>;
  /** number -> first VALUE name defined for it. */
  readonly valueNames: ReadonlyMap<number, string>;
}

/**
 * Codec kinds, resolved from the data type at load so the decoder switches on a small integer.
 * @internal
 */
export const Kind = {
  Octets: 0,
  String: 1,
  IPAddr: 2,
  IPv6Addr: 3,
  IPv6Prefix: 4,
  IfId: 5,
  Integer: 6,
  Integer64: 7,
  Date: 8,
  Byte: 9,
  Short: 10,
  Signed: 11,
  Ether: 12,
  ComboIP: 13,
  IPv4Prefix: 14,
  Vsa: 15,
  Extended: 16,
  LongExtended: 17,
  Evs: 18,
  Tlv: 19,
} as const;
export type KindNumber = (typeof Kind)[keyof typeof Kind];

/** Type name in a dictionary file (lower-cased) -> canonical data type and codec kind. */
const TYPES = new Map<string, readonly [DataType, KindNumber]>([
  ['string', ['string', Kind.String]],
  ['octets', ['octets', Kind.Octets]],
  ['ipaddr', ['ipaddr', Kind.IPAddr]],
  ['ipv4addr', ['ipaddr', Kind.IPAddr]],
  ['ipv6addr', ['ipv6addr', Kind.IPv6Addr]],
  ['ipv6prefix', ['ipv6prefix', Kind.IPv6Prefix]],
  ['ifid', ['ifid', Kind.IfId]],
  ['integer', ['integer', Kind.Integer]],
  ['uint32', ['integer', Kind.Integer]],
  ['integer64', ['integer64', Kind.Integer64]],
  ['uint64', ['integer64', Kind.Integer64]],
  ['date', ['date', Kind.Date]],
  ['byte', ['byte', Kind.Byte]],
  ['uint8', ['byte', Kind.Byte]],
  ['short', ['short', Kind.Short]],
  ['uint16', ['short', Kind.Short]],
  ['signed', ['signed', Kind.Signed]],
  ['int32', ['signed', Kind.Signed]],
  ['ether', ['ether', Kind.Ether]],
  ['abinary', ['abinary', Kind.Octets]],
  ['combo-ip', ['combo-ip', Kind.ComboIP]],
  ['ipv4prefix', ['ipv4prefix', Kind.IPv4Prefix]],
  ['tlv', ['tlv', Kind.Tlv]],
  ['vsa', ['vsa', Kind.Vsa]],
  ['extended', ['extended', Kind.Extended]],
  ['long-extended', ['long-extended', Kind.LongExtended]],
  ['evs', ['evs', Kind.Evs]],
  ['struct', ['struct', Kind.Octets]],
  ['int8', ['int8', Kind.Octets]],
  ['int16', ['int16', Kind.Octets]],
  ['int64', ['int64', Kind.Octets]],
  ['bool', ['bool', Kind.Octets]],
  ['float32', ['float32', Kind.Octets]],
  ['float64', ['float64', Kind.Octets]],
  ['time_delta', ['time_delta', Kind.Octets]],
  ['size', ['size', Kind.Octets]],
  ['group', ['group', Kind.Octets]],
  ['combo-ipv4prefix', ['combo-ipv4prefix', Kind.Octets]],
  ['combo-ipv6prefix', ['combo-ipv6prefix', Kind.Octets]],
]);

/** Flags accepted and ignored (FreeRADIUS 3.2/v4 spellings with no wire effect here). */
const IGNORED_FLAGS = new Set(['virtual', 'secret', 'internal', 'long', 'print_hex', 'counter', 'key', 'unsafe', 'array']);

/** Keywords of v3.2/v4 dictionaries that carry nothing the codec needs; accepted and skipped. */
const SKIPPED_KEYWORDS = new Set([
  'PROTOCOL',
  'BEGIN-PROTOCOL',
  'END-PROTOCOL',
  'FLAGS',
  'MEMBER',
  'STRUCT',
  'ENUM',
  'DEFINE',
]);

/**
 * An attribute definition with what the codec resolves at load.
 * @internal
 */
export interface ResolvedAttributeDef extends AttributeDef {
  readonly kind: KindNumber;
  /** `array` flag: a fixed-size value may repeat inside one attribute. */
  readonly array: boolean;
  /** FreeRADIUS 3.2's `octets[N]`: the value is exactly N octets (0 = any length). */
  readonly size: number;
  /** `virtual` / `secret` and similar: not sent on the wire / shown redacted. */
  readonly virtual: boolean;
  readonly secret: boolean;
  /** Container for TLV members, extended and EVS attributes; undefined for top-level attributes. */
  readonly parent: ResolvedAttributeDef | undefined;
  /** Members by number (TLV, extended); for an `evs` attribute the key is vendorId * 256 + type. */
  readonly children: Map<number, ResolvedAttributeDef> | undefined;
  /** False when the dotted number's parent was not found: the definition is known by name only. */
  readonly onWire: boolean;
  readonly values: Map<string, number>;
  readonly valueNames: Map<number, string>;
  /** VALUE names lower-cased, for case-insensitive encoding of names. */
  readonly valuesLower: Map<string, number>;
}

/** @internal */
export interface VendorEntry {
  readonly def: VendorDef;
  /** WiMAX-style `format=1,1,c`: a continuation octet follows the sub-attribute length. */
  readonly continuation: boolean;
  readonly attributes: Map<number, ResolvedAttributeDef>;
}

interface PendingValue {
  readonly attribute: string;
  readonly name: string;
  readonly value: number;
  readonly where: string;
}

/** What an open BEGIN-… block changes while it is open. */
interface Block {
  readonly keyword: 'BEGIN-VENDOR' | 'BEGIN-TLV' | 'BEGIN';
  readonly name: string;
  readonly vendor: VendorEntry | undefined;
  /** BEGIN-TLV / BEGIN: numbers inside are relative to this attribute. Evs vendor block: the evs attribute. */
  readonly parent: ResolvedAttributeDef | undefined;
}

interface FileState {
  readonly path: string;
  lineNo: number;
  blocks: Block[];
}

const MAX_INCLUDE_DEPTH = 32;

export class Dictionary {
  /** @internal Standard attributes 0..255 by number, for the decoder's hot path. */
  readonly standard: (ResolvedAttributeDef | undefined)[] = new Array<ResolvedAttributeDef | undefined>(256).fill(undefined);
  /** @internal Standard-space numbers above 255 (FreeRADIUS internal attributes, never on the wire). */
  private readonly internal = new Map<number, ResolvedAttributeDef>();
  /** @internal */
  readonly vendors = new Map<number, VendorEntry>();
  private readonly vendorsByName = new Map<string, VendorEntry>();
  private readonly byName = new Map<string, ResolvedAttributeDef>();
  private readonly byLowerName = new Map<string, ResolvedAttributeDef>();
  private pending: PendingValue[] = [];
  private includeStack: string[] = [];
  private files: DictionaryFiles = NO_FILES;

  /**
   * Read files in order into a new dictionary; later files add to and override earlier ones. Synchronous.
   * Callers outside tests use loadDictionaryFiles (src/config/dictionary-files.ts), which reads from disk.
   */
  static fromFiles(paths: readonly string[], files: DictionaryFiles): Dictionary {
    const dict = new Dictionary();
    for (const p of paths) dict.addFile(p, files);
    return dict;
  }

  /** Parse dictionary text (tests, embedded dictionaries). `$INCLUDE` is relative to dirname(filename), read from `files`. */
  static parse(text: string, filename: string, files: DictionaryFiles = NO_FILES): Dictionary {
    const dict = new Dictionary();
    dict.files = files;
    dict.parseText(text, filename);
    dict.resolvePending();
    return dict;
  }

  /** Add a file's definitions to this dictionary. */
  addFile(path: string, files: DictionaryFiles): void {
    this.files = files;
    this.readFile(path, undefined);
    this.resolvePending();
  }

  /** A vendor by name (case-insensitive) or by Private Enterprise Number. */
  vendor(nameOrId: string | number): VendorDef | undefined {
    const entry = typeof nameOrId === 'number' ? this.vendors.get(nameOrId) : this.vendorsByName.get(nameOrId.toLowerCase());
    return entry?.def;
  }

  /** An attribute by name, case-insensitive. */
  attribute(name: string): AttributeDef | undefined {
    return this.resolveName(name);
  }

  /** @internal Same as attribute(), typed with what the codec resolved. */
  resolveName(name: string): ResolvedAttributeDef | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  /** A top-level attribute by vendor (0 = standard) and number: the last definition loaded for that number. */
  attributeByNumber(vendorId: number, type: number): AttributeDef | undefined {
    if (vendorId === 0) return type >= 0 && type < 256 ? this.standard[type] : this.internal.get(type);
    return this.vendors.get(vendorId)?.attributes.get(type);
  }

  /** Number of attribute names defined (aliases such as the compat names count separately). */
  get attributeCount(): number {
    return this.byLowerName.size;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Loading

  private readFile(path: string, from: FileState | undefined): void {
    const full = this.files.resolve(path);
    if (this.includeStack.includes(full)) {
      throw dictError(from, 'DICT_INCLUDE', `$INCLUDE ${path} includes itself (via ${this.includeStack.join(' -> ')})`);
    }
    if (this.includeStack.length >= MAX_INCLUDE_DEPTH) {
      throw dictError(from, 'DICT_INCLUDE', `$INCLUDE nesting deeper than ${MAX_INCLUDE_DEPTH} at ${path}`);
    }
    let text: string;
    try {
      text = this.files.read(path);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (from === undefined) throw new RadiusError('DICT_INCLUDE', `${path}:0: cannot read dictionary: ${reason}`, { cause: err });
      throw dictError(from, 'DICT_INCLUDE', `cannot read $INCLUDE ${path}: ${reason}`, err);
    }
    this.includeStack.push(full);
    try {
      this.parseText(text, path);
    } finally {
      this.includeStack.pop();
    }
  }

  private parseText(text: string, filename: string): void {
    const state: FileState = { path: filename, lineNo: 0, blocks: [] };
    const lines = text.split('\n');
    for (const rawLine of lines) {
      state.lineNo++;
      const hash = rawLine.indexOf('#');
      const line = hash === -1 ? rawLine : rawLine.slice(0, hash);
      const fields = line.split(WHITESPACE).filter((f) => f !== '');
      const keyword = fields[0];
      if (keyword === undefined) continue;
      this.parseLine(state, keyword, fields);
    }
    const open = state.blocks[state.blocks.length - 1];
    if (open !== undefined) {
      throw dictError(state, 'DICT_SYNTAX', `${open.keyword} ${open.name} is never closed`);
    }
  }

  private parseLine(state: FileState, keyword: string, f: string[]): void {
    switch (keyword) {
      case 'ATTRIBUTE':
        return this.parseAttribute(state, f);
      case 'VALUE':
        return this.parseValue(state, f);
      case 'VENDOR':
        return this.parseVendor(state, f);
      case 'BEGIN-VENDOR':
        return this.beginVendor(state, f);
      case 'END-VENDOR':
        return this.endBlock(state, 'BEGIN-VENDOR', f);
      case 'BEGIN-TLV':
        return this.beginTlv(state, f, 'BEGIN-TLV');
      case 'END-TLV':
        return this.endBlock(state, 'BEGIN-TLV', f);
      case 'BEGIN':
        return this.beginTlv(state, f, 'BEGIN');
      case 'END':
        return this.endBlock(state, 'BEGIN', f);
      case 'ALIAS':
        return this.parseAlias(state, f);
      case '$INCLUDE':
      case '$INCLUDE-':
        return this.include(state, f, keyword === '$INCLUDE-');
      default:
        if (SKIPPED_KEYWORDS.has(keyword)) return;
        throw dictError(state, 'DICT_SYNTAX', `unknown keyword "${keyword}"`);
    }
  }

  private include(state: FileState, f: string[], optional: boolean): void {
    const target = f[1];
    if (target === undefined || f.length > 2) throw dictError(state, 'DICT_SYNTAX', `${f[0]} needs exactly one file name`);
    const path = this.files.resolve(target, state.path);
    if (optional && !this.files.exists(path)) return;
    this.readFile(path, state);
  }

  private parseVendor(state: FileState, f: string[]): void {
    const [, name, idText, format] = f;
    if (name === undefined || idText === undefined || f.length > 4) {
      throw dictError(state, 'DICT_SYNTAX', 'VENDOR needs a name, a number and optionally format=t,l');
    }
    const id = parseNumber(idText);
    if (id === undefined || id <= 0 || id > 0xffffffff) {
      throw dictError(state, 'DICT_SYNTAX', `VENDOR ${name}: invalid vendor number "${idText}"`);
    }
    let typeSize: 1 | 2 | 4 = 1;
    let lengthSize: 0 | 1 | 2 = 1;
    let continuation = false;
    if (format !== undefined) {
      const m = /^format=([124]),([012])(,c)?$/.exec(format);
      if (m === null) {
        throw dictError(state, 'DICT_SYNTAX', `VENDOR ${name}: invalid "${format}" (expected format=t,l with t 1, 2 or 4 and l 0, 1 or 2)`);
      }
      typeSize = Number(m[1]) as 1 | 2 | 4;
      lengthSize = Number(m[2]) as 0 | 1 | 2;
      continuation = m[3] !== undefined;
      if (continuation && (typeSize !== 1 || lengthSize !== 1)) {
        throw dictError(state, 'DICT_SYNTAX', `VENDOR ${name}: the ",c" continuation flag needs format=1,1`);
      }
    }
    const previous = this.vendors.get(id);
    const entry: VendorEntry = {
      def: Object.freeze({ name, id, typeSize, lengthSize }),
      continuation,
      // A redefinition (same number, e.g. WiMAX in several files) keeps the attributes already defined.
      attributes: previous?.attributes ?? new Map<number, ResolvedAttributeDef>(),
    };
    this.vendors.set(id, entry);
    this.vendorsByName.set(name.toLowerCase(), entry);
  }

  private beginVendor(state: FileState, f: string[]): void {
    const [, name, option] = f;
    if (name === undefined || f.length > 3) throw dictError(state, 'DICT_SYNTAX', 'BEGIN-VENDOR needs a vendor name');
    const vendor = this.vendorsByName.get(name.toLowerCase());
    if (vendor === undefined) throw dictError(state, 'DICT_UNKNOWN_VENDOR', `BEGIN-VENDOR ${name}: vendor not defined by a VENDOR line`);
    let parent: ResolvedAttributeDef | undefined;
    if (option !== undefined) {
      // `format=Extended-Vendor-Specific-5` (3.2) or `parent=...` (v4): the vendor's attributes live inside an
      // evs attribute (RFC 6929 §2.4) rather than in Vendor-Specific.
      const eq = option.indexOf('=');
      const key = eq === -1 ? '' : option.slice(0, eq);
      if (key !== 'format' && key !== 'parent') throw dictError(state, 'DICT_SYNTAX', `BEGIN-VENDOR ${name}: unknown option "${option}"`);
      const targetName = option.slice(eq + 1);
      const target = this.resolveName(targetName);
      const isVsa = targetName.toLowerCase() === 'vendor-specific' || target?.kind === Kind.Vsa;
      if (!isVsa) {
        // `format=Vendor-Specific` is the ordinary case spelled out: nothing changes.
        if (target === undefined || target.kind !== Kind.Evs) {
          throw dictError(state, 'DICT_UNKNOWN_ATTRIBUTE', `BEGIN-VENDOR ${name}: "${targetName}" is not a defined evs attribute`);
        }
        parent = target;
      }
    }
    state.blocks.push({ keyword: 'BEGIN-VENDOR', name, vendor, parent });
  }

  private beginTlv(state: FileState, f: string[], keyword: 'BEGIN-TLV' | 'BEGIN'): void {
    const name = f[1];
    if (name === undefined || f.length > 2) throw dictError(state, 'DICT_SYNTAX', `${keyword} needs an attribute name`);
    const parent = this.resolveName(name);
    if (parent === undefined) throw dictError(state, 'DICT_UNKNOWN_ATTRIBUTE', `${keyword} ${name}: attribute not defined`);
    if (parent.children === undefined) throw dictError(state, 'DICT_SYNTAX', `${keyword} ${name}: attribute of type ${parent.dataType} has no members`);
    state.blocks.push({ keyword, name, vendor: undefined, parent });
  }

  private endBlock(state: FileState, opener: Block['keyword'], f: string[]): void {
    const name = f[1];
    const keyword = f[0] ?? '';
    if (name === undefined || f.length > 2) throw dictError(state, 'DICT_SYNTAX', `${keyword} needs a name`);
    const top = state.blocks[state.blocks.length - 1];
    if (top === undefined || top.keyword !== opener) throw dictError(state, 'DICT_SYNTAX', `${keyword} ${name} without ${opener}`);
    if (top.name.toLowerCase() !== name.toLowerCase()) {
      throw dictError(state, 'DICT_SYNTAX', `${keyword} ${name} does not match the open ${opener} ${top.name}`);
    }
    state.blocks.pop();
  }

  /** v4 `ALIAS name target`: another name for an existing attribute. Unknown targets are skipped. */
  private parseAlias(state: FileState, f: string[]): void {
    const [, name, target] = f;
    if (name === undefined || target === undefined || f.length > 3) throw dictError(state, 'DICT_SYNTAX', 'ALIAS needs a name and a target');
    const def = this.resolveName(target);
    if (def !== undefined && this.resolveName(name) === undefined) this.addName(name, def);
  }

  private parseAttribute(state: FileState, f: string[]): void {
    const [, name, numberText, typeText, options] = f;
    if (name === undefined || numberText === undefined || typeText === undefined) {
      throw dictError(state, 'DICT_SYNTAX', 'ATTRIBUTE needs a name, a number and a type');
    }
    if (f.length > 5) throw dictError(state, 'DICT_SYNTAX', `ATTRIBUTE ${name}: unexpected "${f.slice(5).join(' ')}" after the flags`);

    // Type, with FreeRADIUS 3.2's fixed-size `octets[N]` spelling.
    const bracket = typeText.indexOf('[');
    const typeName = (bracket === -1 ? typeText : typeText.slice(0, bracket)).toLowerCase();
    const type = TYPES.get(typeName);
    if (type === undefined) throw dictError(state, 'DICT_BAD_TYPE', `ATTRIBUTE ${name}: unknown data type "${typeText}"`);
    const [dataType, kind] = type;
    let size = 0;
    if (bracket !== -1) {
      const n = typeText.endsWith(']') ? parseNumber(typeText.slice(bracket + 1, -1)) : undefined;
      if (n === undefined || n < 1 || n > 253 || kind !== Kind.Octets) throw dictError(state, 'DICT_SYNTAX', `ATTRIBUTE ${name}: invalid fixed size "${typeText}"`);
      size = n;
    }

    // Number: decimal, 0x hex, or dotted (TLV members, extended attributes: 241.1, 241.5.1, 26.9.1).
    const path: number[] = [];
    for (const part of numberText.split('.')) {
      const n = parseNumber(part);
      if (n === undefined || n < 0 || n > 0xffffffff) throw dictError(state, 'DICT_SYNTAX', `ATTRIBUTE ${name}: invalid number "${numberText}"`);
      path.push(n);
    }

    let hasTag = false;
    let encrypt: 0 | 1 | 2 | 3 = 0;
    let concat = false;
    let array = false;
    let virtual = false;
    let secret = false;
    let vendor = innermostVendor(state);
    if (options !== undefined) {
      const keys = options.split(',');
      const only = keys.length === 1 ? keys[0] : undefined;
      if (only !== undefined && !only.includes('=') && !isFlag(only)) {
        // The older 5-field form: ATTRIBUTE name number type vendorname.
        const v = this.vendorsByName.get(only.toLowerCase());
        if (v === undefined) throw dictError(state, 'DICT_UNKNOWN_VENDOR', `ATTRIBUTE ${name}: vendor "${only}" not defined`);
        vendor = v;
      } else {
        for (const key of keys) {
          if (key === 'has_tag' || key === 'has_tag=1') hasTag = true;
          else if (key === 'concat') concat = true;
          else if (key === 'array') array = true;
          else if (key === 'virtual') virtual = true;
          else if (key === 'secret') secret = true;
          else if (key.startsWith('encrypt=')) {
            const e = key.slice(8);
            if (e !== '0' && e !== '1' && e !== '2' && e !== '3') throw dictError(state, 'DICT_SYNTAX', `ATTRIBUTE ${name}: invalid "${key}" (encrypt is 1, 2 or 3)`);
            encrypt = Number(e) as 0 | 1 | 2 | 3;
          }
          // Anything else (`internal`, `print_hex`, `ref=…`, future flags) has no wire effect: ignored.
        }
      }
    }
    if (hasTag && kind !== Kind.String && kind !== Kind.Integer) {
      throw dictError(state, 'DICT_SYNTAX', `ATTRIBUTE ${name}: has_tag is only valid for string and integer attributes`);
    }

    // Where the number lives: top level of the vendor (0 = standard), or inside a container attribute (the open
    // BEGIN-TLV / evs vendor block, or the dotted path's parent).
    const block = state.blocks[state.blocks.length - 1];
    let container: ResolvedAttributeDef | undefined = block?.parent;
    let vendorId = vendor?.def.id ?? 0;
    if (block !== undefined && block.parent !== undefined && block.keyword !== 'BEGIN-VENDOR') vendorId = block.parent.vendorId;
    let rel = path;
    let onWire = true;
    if (container === undefined && vendorId === 0 && path.length >= 3 && path[0] === 26) {
      // 26.<vendor>.<attr>: a VSA written with its standard-space path.
      vendorId = path[1] as number;
      rel = path.slice(2);
      if (!this.vendors.has(vendorId)) onWire = false;
    }
    for (let i = 0; i < rel.length - 1 && onWire; i++) {
      let next: ResolvedAttributeDef | undefined;
      if (container === undefined) {
        next = this.topLevel(vendorId, rel[i] as number);
      } else if (container.kind === Kind.Evs) {
        // 241.26.<vendor>.<attr>: the component after an evs attribute is a vendor number.
        vendorId = rel[i] as number;
        i++;
        if (i === rel.length - 1) break;
        next = container.children?.get(vendorId * 256 + (rel[i] as number));
      } else {
        next = container.children?.get(rel[i] as number);
      }
      if (next === undefined || next.children === undefined) onWire = false;
      else container = next;
    }
    if (container !== undefined && !container.onWire) onWire = false;
    if (container !== undefined && container.kind === Kind.Evs && vendorId === 0) onWire = false;
    const number = rel[rel.length - 1] as number;
    const parent = onWire ? container : undefined;

    const previous = this.resolveName(name);
    const keepValues = previous !== undefined && previous.vendorId === vendorId && previous.type === number && previous.parent === parent;
    const values = keepValues ? previous.values : new Map<string, number>();
    const def: ResolvedAttributeDef = {
      name,
      vendorId,
      type: number,
      dataType,
      hasTag,
      encrypt,
      concat,
      values,
      valueNames: keepValues ? previous.valueNames : new Map<number, string>(),
      valuesLower: keepValues ? previous.valuesLower : new Map<string, number>(),
      kind,
      array,
      size,
      virtual,
      secret,
      parent,
      children: hasChildren(kind) ? (keepValues && previous.children !== undefined ? previous.children : new Map()) : undefined,
      onWire,
    };
    if (previous !== undefined) this.removeName(previous);
    this.addName(name, def);
    if (!onWire) return;
    if (parent !== undefined) {
      parent.children?.set(parent.kind === Kind.Evs ? vendorId * 256 + number : number, def);
    } else if (vendorId === 0) {
      if (number < 256) this.standard[number] = def;
      else this.internal.set(number, def);
    } else {
      const entry = this.vendors.get(vendorId);
      if (entry === undefined) throw dictError(state, 'DICT_UNKNOWN_VENDOR', `ATTRIBUTE ${name}: vendor ${vendorId} not defined`);
      entry.attributes.set(number, def);
    }
  }

  private parseValue(state: FileState, f: string[]): void {
    const [, attribute, name, numberText] = f;
    if (attribute === undefined || name === undefined || numberText === undefined || f.length > 4) {
      throw dictError(state, 'DICT_SYNTAX', 'VALUE needs an attribute name, a value name and a number');
    }
    const value = parseNumber(numberText);
    if (value === undefined) throw dictError(state, 'DICT_SYNTAX', `VALUE ${attribute} ${name}: invalid number "${numberText}"`);
    const def = this.resolveName(attribute);
    if (def === undefined) {
      // FreeRADIUS allows VALUEs before their ATTRIBUTE (dictionary.compat): applied when the load ends.
      this.pending.push({ attribute, name, value, where: `${state.path}:${state.lineNo}` });
      return;
    }
    addValue(def, name, value);
  }

  private resolvePending(): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) {
      const def = this.resolveName(p.attribute);
      if (def === undefined) {
        throw new RadiusError('DICT_UNKNOWN_ATTRIBUTE', `${p.where}: VALUE ${p.name} for attribute "${p.attribute}", which is not defined`);
      }
      addValue(def, p.name, p.value);
    }
  }

  private topLevel(vendorId: number, type: number): ResolvedAttributeDef | undefined {
    if (vendorId === 0) return type < 256 ? this.standard[type] : this.internal.get(type);
    return this.vendors.get(vendorId)?.attributes.get(type);
  }

  private addName(name: string, def: ResolvedAttributeDef): void {
    this.byName.set(name, def);
    this.byLowerName.set(name.toLowerCase(), def);
  }

  private removeName(def: ResolvedAttributeDef): void {
    // A redefinition under another spelling of the same name must not leave the old spelling behind.
    if (this.byName.get(def.name) === def) this.byName.delete(def.name);
  }
}

const WHITESPACE = /\s+/;

function hasChildren(kind: KindNumber): boolean {
  return kind === Kind.Tlv || kind === Kind.Extended || kind === Kind.LongExtended || kind === Kind.Evs;
}

function isFlag(word: string): boolean {
  return word === 'has_tag' || word === 'concat' || IGNORED_FLAGS.has(word);
}

function innermostVendor(state: FileState): VendorEntry | undefined {
  for (let i = state.blocks.length - 1; i >= 0; i--) {
    const b = state.blocks[i];
    if (b?.vendor !== undefined) return b.vendor;
  }
  return undefined;
}

function addValue(def: ResolvedAttributeDef, name: string, value: number): void {
  def.values.set(name, value);
  def.valuesLower.set(name.toLowerCase(), value);
  if (!def.valueNames.has(value)) def.valueNames.set(value, name);
}

/** Decimal or 0x hex, optionally negative (VALUEs of signed attributes); undefined when it is neither. */
function parseNumber(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  }
  let n: number;
  if (s.length > 2 && (s.startsWith('0x') || s.startsWith('0X'))) {
    const hex = s.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    n = parseInt(hex, 16);
  } else {
    if (!/^[0-9]+$/.test(s)) return undefined;
    n = parseInt(s, 10);
  }
  return Number.isSafeInteger(n) ? sign * n : undefined;
}

function dictError(state: FileState | undefined, code: RadiusErrorCode, cause: string, err?: unknown): RadiusError {
  const where = state === undefined ? '' : `${state.path}:${state.lineNo}: `;
  return new RadiusError(code, `${where}${cause}`, err === undefined ? undefined : { cause: err });
}
