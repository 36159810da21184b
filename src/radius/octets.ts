/**
 * RADIUS `string` attributes are octets (RFC 8044 §3.5), not text. Tollgate keeps them as JavaScript strings in
 * an exact, reversible form — `octetsToText` / `textToOctets` round-trip every byte sequence — so that session
 * keys, stored values and CoA identities stay byte for byte what the NAS sent, while PostgreSQL `text` columns,
 * JSON and logs never see a NUL or an invalid UTF-8 sequence.
 *
 * The form: octets that are valid UTF-8, hold no NUL, and contain neither `\xHH` (two lowercase hex digits) nor
 * `\\` are that UTF-8 text, unchanged (every real login, `DOMAIN\user` and `CORP\xavier` included). Anything
 * else is escaped whole: `\` becomes `\\`, each NUL and each octet outside a valid UTF-8 sequence becomes
 * `\xHH`, valid characters stay. An escaped form always contains `\xHH` or `\\` and an unescaped one never
 * does, so the mapping is one-to-one.
 *
 * @example
 * octetsToText(Buffer.from('alice'))              // 'alice'
 * octetsToText(Buffer.from([0x69, 0xff, 0x41]))   // 'i\\xffA'
 * textToOctets('i\\xffA')                         // <Buffer 69 ff 41>
 */
import { isUtf8 } from 'node:buffer';

const ESCAPE_MARK = /\\x[0-9a-f]{2}|\\\\/;

/** Whether `text` is in the escaped form (it then holds `\xHH` or `\\`). */
export function isEscapedText(text: string): boolean {
  return text.includes('\\') && ESCAPE_MARK.test(text);
}

/** Whether these octets print as themselves (valid UTF-8, no NUL, no `\xHH` or `\\`). */
function isPlain(octets: Buffer): boolean {
  if (octets.includes(0)) return false;
  if (!isUtf8(octets)) return false;
  const backslash = octets.indexOf(0x5c);
  if (backslash < 0) return true;
  return !isEscapedText(octets.toString('utf8'));
}

/** Length of the valid UTF-8 sequence starting at `i` (1–4), or 0 when the octet there starts none. */
function utf8SequenceAt(b: Buffer, i: number): number {
  const c = b[i] ?? 0;
  if (c < 0x80) return c === 0 ? 0 : 1;
  let n: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) [n, min] = [2, 0x80];
  else if (c >= 0xe0 && c <= 0xef) [n, min] = [3, 0x800];
  else if (c >= 0xf0 && c <= 0xf4) [n, min] = [4, 0x10000];
  else return 0;
  if (i + n > b.length) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const d = b[i + k] ?? 0;
    if ((d & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/** The exact text form of RADIUS string octets (see the module comment). */
export function octetsToText(octets: Buffer): string {
  if (isPlain(octets)) return octets.toString('utf8');
  let out = '';
  let i = 0;
  while (i < octets.length) {
    const n = utf8SequenceAt(octets, i);
    if (n === 0) {
      out += `\\x${(octets[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
    } else if (n === 1 && octets[i] === 0x5c) {
      out += '\\\\';
      i++;
    } else {
      out += octets.toString('utf8', i, i + n);
      i += n;
    }
  }
  return out;
}

/** The octets a text form stands for: the inverse of `octetsToText` (plain text is its UTF-8). */
export function textToOctets(text: string): Buffer {
  if (!isEscapedText(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain !== '') parts.push(Buffer.from(plain, 'utf8'));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\') {
      plain += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '\\') {
      plain += '\\';
      i++;
    } else if (next === 'x' && /^[0-9a-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      flush();
      parts.push(Buffer.from([parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 3;
    } else {
      // Not produced by octetsToText; taken literally so any text still maps to some octets.
      plain += '\\';
    }
  }
  flush();
  return Buffer.concat(parts);
}

/** A readable, log-safe rendering: the text form itself (it never holds NUL or invalid UTF-8). */
export const printableOctets = octetsToText;
