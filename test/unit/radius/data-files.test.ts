/**
 * The codec's protocol test data (test/fixtures/radius/data/*.txt), in the style of FreeRADIUS's
 * src/tests/unit/protocols: one file per RFC or vendor, each a list of commands, each followed by a `match` of
 * its result. Blank lines and `#` comments are skipped.
 *
 *   dictionary test|project     the dictionary the following commands use (test: test-dictionary.ts, the default)
 *   define <dictionary line>    a line added to the test dictionary for this file (before the first command)
 *   secret <text>               the shared secret of hidden attributes (default testing123)
 *   authenticator <hex>         the Request Authenticator (default 00 01 .. 0f)
 *   encode-pair <pairs>         encodeAttributes; result: the wire attributes as hex
 *   decode-pair <hex> | -       decodeAttributes on the attributes in <hex> (`-`: the last encode-pair's output)
 *   decode-packet <hex>         parsePacket, then decodeAttributes; `; empty=<n>` when it dropped empty attributes
 *   match <result>              the previous command's result: hex (spaces ignored; `??` is any octet, for salts
 *                               and hidden values), pairs, or `error <CODE>`
 *
 * Pairs are `Name = value` separated by `, `; `Name:<tag>` for a tag. Values: `"text"` (the exact text form of
 * octets.ts: `\xHH` is an octet; `\"` is a quote), `0x<hex>` (octets), a number, or a bare word (VALUE names,
 * addresses, prefixes). Decoded pairs print the same way: strings quoted, octets as 0x, integers by VALUE name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';
import {
  decodeAttributes,
  Dictionary,
  encodeAttributes,
  parsePacket,
  RadiusError,
  writeAttributes,
  type Attribute,
  type AttributeValue,
  type CryptoContext,
  type RawAttribute,
} from '../../../src/radius/index.js';
import { Kind } from '../../../src/radius/dictionary.js';
import { PROJECT_DICTIONARY, testDictionary, TEST_DICTIONARY_TEXT } from './test-dictionary.js';

const DIR = fileURLToPath(new URL('../../fixtures/radius/data/', import.meta.url));

interface Step {
  readonly line: number;
  readonly command: string;
  readonly arg: string;
  readonly expected: string;
}

interface DataFile {
  readonly name: string;
  readonly base: 'test' | 'project';
  readonly defines: readonly string[];
  readonly steps: readonly Step[];
}

function readFile(name: string): DataFile {
  const lines = readFileSync(DIR + name, 'utf8').split('\n');
  const steps: Step[] = [];
  const defines: string[] = [];
  let base: 'test' | 'project' = 'test';
  let pending: { line: number; command: string; arg: string } | undefined;
  lines.forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const space = text.search(/\s/);
    const command = space === -1 ? text : text.slice(0, space);
    const arg = space === -1 ? '' : text.slice(space + 1).trim();
    const where = `${name}:${i + 1}`;
    if (command === 'match') {
      if (pending === undefined) throw new Error(`${where}: match without a command before it`);
      steps.push({ ...pending, expected: arg });
      pending = undefined;
      return;
    }
    if (pending !== undefined) throw new Error(`${where}: ${pending.command} (line ${pending.line}) has no match`);
    if (command === 'dictionary') {
      if (arg !== 'test' && arg !== 'project') throw new Error(`${where}: dictionary is test or project`);
      base = arg;
    } else if (command === 'define') {
      defines.push(arg);
    } else if (['secret', 'authenticator'].includes(command)) {
      steps.push({ line: i + 1, command, arg, expected: '' });
    } else if (['encode-pair', 'decode-pair', 'decode-packet'].includes(command)) {
      pending = { line: i + 1, command, arg };
    } else {
      throw new Error(`${where}: unknown command "${command}"`);
    }
  });
  if (pending !== undefined) throw new Error(`${name}:${pending.line}: ${pending.command} has no match`);
  return { name, base, defines, steps };
}

function dictionaryFor(file: DataFile): Dictionary {
  if (file.base === 'project') {
    if (file.defines.length > 0) throw new Error(`${file.name}: define needs the test dictionary`);
    return loadDictionaryFiles([PROJECT_DICTIONARY]);
  }
  if (file.defines.length === 0) return testDictionary();
  return Dictionary.parse(`${TEST_DICTIONARY_TEXT}\n${file.defines.join('\n')}\n`, '/nonexistent/test-dictionary');
}

// --- pairs as text ---

function splitPairs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '\\' && text[i + 1] === '"') {
      cur += '\\"';
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function parsePairs(text: string): Attribute[] {
  return splitPairs(text).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) throw new Error(`"${pair}" is not Name = value`);
    const left = pair.slice(0, eq).trim();
    const right = pair.slice(eq + 1).trim();
    const colon = left.indexOf(':');
    const name = colon === -1 ? left : left.slice(0, colon);
    const tag = colon === -1 ? undefined : Number(left.slice(colon + 1));
    const value = parseValue(right);
    return tag === undefined ? { name, value } : { name, value, tag };
  });
}

function parseValue(text: string): AttributeValue {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new Error(`unterminated string ${text}`);
    return text.slice(1, -1).replace(/\\"/g, '"');
  }
  if (/^0x[0-9a-f]*$/i.test(text)) return Buffer.from(text.slice(2), 'hex');
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return text;
}

function formatPairs(dict: Dictionary, attrs: readonly Attribute[]): string {
  return attrs
    .map((a) => {
      const name = a.tag !== undefined && a.tag !== 0 ? `${a.name}:${a.tag}` : a.name;
      const def = dict.resolveName(a.name);
      const v = a.value;
      let text: string;
      if (Buffer.isBuffer(v)) text = `0x${v.toString('hex')}`;
      else if (typeof v === 'number' || typeof v === 'bigint') text = def?.valueNames.get(Number(v)) ?? String(v);
      // Control octets print as \xHH so that the file stays readable; the text form reads them back the same.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      else if (def !== undefined && def.kind === Kind.String) text = `"${v.replace(/"/g, '\\"').replace(/[\x00-\x1f\x7f]/g, hexEscape)}"`;
      else text = v;
      return `${name} = ${text}`;
    })
    .join(', ');
}

function hexEscape(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

// --- running ---

function wire(attrs: readonly RawAttribute[]): Buffer {
  const buf = Buffer.alloc(attrs.reduce((n, a) => n + (a.value.length === 0 ? 0 : 2 + a.value.length), 0));
  writeAttributes(buf, 0, attrs);
  return buf;
}

function attributesOf(bytes: Buffer): RawAttribute[] {
  const out: RawAttribute[] = [];
  let p = 0;
  while (p < bytes.length) {
    const len = bytes[p + 1];
    if (len === undefined || len < 2 || p + len > bytes.length) throw new Error(`attribute at offset ${p} does not parse`);
    out.push({ type: bytes[p] as number, value: bytes.subarray(p + 2, p + len) });
    p += len;
  }
  return out;
}

function hexOf(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new Error(`"${text}" is not hex`);
  return Buffer.from(clean, 'hex');
}

function errorText(err: unknown): string {
  if (err instanceof RadiusError) return `error ${err.code}`;
  throw err;
}

function normalise(command: string, text: string): string {
  if (text.startsWith('error ')) return text;
  if (command === 'encode-pair') return text.replace(/\s+/g, '').toLowerCase();
  return text.replace(/\s+/g, ' ').trim();
}

function run(file: DataFile): Array<{ step: Step; got: string }> {
  const dict = dictionaryFor(file);
  let crypto: CryptoContext = { secret: Buffer.from('testing123'), authenticator: hexOf('000102030405060708090a0b0c0d0e0f') };
  let last: Buffer | undefined;
  const results: Array<{ step: Step; got: string }> = [];
  for (const step of file.steps) {
    try {
      results.push({ step, got: runStep(step) });
    } catch (err) {
      // A step that cannot run (bad hex, nothing encoded before `decode-pair -`) fails its own case only.
      results.push({ step, got: `exception: ${(err as Error).message}` });
    }
  }
  return results.filter((r) => r.got !== SET);

  function runStep(step: Step): string {
    let got: string;
    switch (step.command) {
      case 'secret':
        crypto = { ...crypto, secret: Buffer.from(step.arg) };
        return SET;
      case 'authenticator':
        crypto = { ...crypto, authenticator: hexOf(step.arg) };
        return SET;
      case 'encode-pair':
        try {
          last = wire(encodeAttributes(dict, parsePairs(step.arg), crypto));
          got = last.toString('hex');
        } catch (err) {
          last = undefined;
          got = errorText(err);
        }
        break;
      case 'decode-pair': {
        const bytes = step.arg === '-' ? last : hexOf(step.arg);
        if (bytes === undefined) throw new Error('decode-pair - with no encoded output before it');
        got = formatPairs(dict, decodeAttributes(dict, attributesOf(bytes), crypto));
        break;
      }
      case 'decode-packet':
        try {
          const packet = parsePacket(hexOf(step.arg));
          got = formatPairs(dict, decodeAttributes(dict, packet.attributes, { secret: crypto.secret, authenticator: packet.authenticator }));
          if ((packet.emptyAttributes ?? 0) > 0) got += `; empty=${packet.emptyAttributes ?? 0}`;
        } catch (err) {
          got = errorText(err);
        }
        break;
      default:
        throw new Error(`unknown command ${step.command}`);
    }
    return got;
  }
}

/** The result of a setting (secret, authenticator): nothing to match. */
const SET = '\u0000set';

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('protocol data files', () => {
  it('has one file per RFC or vendor', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(files)('%s', (name) => {
    const file = readFile(name);
    const results = run(file);
    it('has cases', () => {
      expect(results.length).toBeGreaterThan(0);
    });
    it.each(results.map((r) => [`line ${r.step.line}: ${r.step.command} ${r.step.arg.slice(0, 60)}`, r] as const))('%s', (_title, r) => {
      const expected = normalise(r.step.command, r.step.expected);
      const got = normalise(r.step.command, r.got);
      if (r.step.command === 'encode-pair' && expected.includes('?') && !expected.startsWith('error')) {
        expect(got).toMatch(new RegExp(`^${expected.replace(/\?/g, '[0-9a-f]')}$`));
      } else {
        expect(got).toBe(expected);
      }
    });
  });
});
