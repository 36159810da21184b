/** The text form of attributes (radclient style), for debug logs and the CLI. */
import type { Attribute } from './attributes.js';
import { Kind, type Dictionary } from './dictionary.js';

/**
 * radclient-style `Name = value` for debug logs: strings quoted, integers by VALUE name when there is one,
 * octets as 0x hex, tags as `Name:1`. Hidden attributes (encrypt=1/2/3, `secret`) are shown as `<redacted>`.
 */
export function formatAttribute(dict: Dictionary, attr: Attribute): string {
  const def = dict.resolveName(attr.name);
  const name = attr.tag !== undefined && attr.tag !== 0 ? `${attr.name}:${attr.tag}` : attr.name;
  if (def !== undefined && (def.encrypt !== 0 || def.secret)) return `${name} = <redacted>`;
  const v = attr.value;
  let text: string;
  if (Buffer.isBuffer(v)) text = `0x${v.toString('hex')}`;
  else if (typeof v === 'number') text = def?.valueNames.get(v) ?? String(v);
  else if (typeof v === 'bigint') text = (v <= BigInt(Number.MAX_SAFE_INTEGER) ? def?.valueNames.get(Number(v)) : undefined) ?? String(v);
  else if (def === undefined || def.kind === Kind.String || def.kind === Kind.Octets) text = quote(v);
  else text = v;
  return `${name} = ${text}`;
}

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

