/**
 * Value primitives shared by the codec and its consumers: addresses (IPv4, IPv6, interface ids, MAC) between text
 * and octets, decimal and hex text, prefix masks. No regular expressions: these run per attribute.
 *
 * The IPv4 pair here (parseIPv4 / formatIPv4, and ipv4ToOctets / ipv4OfOctets around them) is the only one in the
 * code base: the access and accounting paths, CoA, the NAS table and the API all convert through it.
 */

/** Dotted quad of the 4 octets at buf[off..off+4). */
export function formatIPv4(b: Buffer, off: number): string {
  return `${b[off] as number}.${b[off + 1] as number}.${b[off + 2] as number}.${b[off + 3] as number}`;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`; ::ffff:a.b.c.d. */
export function formatIPv6(b: Buffer, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(off + i * 2));
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${formatIPv4(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

function hex2(n: number): string {
  return n < 16 ? `0${n.toString(16)}` : n.toString(16);
}

export function formatIfId(b: Buffer): string {
  return `${hex2(b[0] as number)}${hex2(b[1] as number)}:${hex2(b[2] as number)}${hex2(b[3] as number)}:${hex2(b[4] as number)}${hex2(b[5] as number)}:${hex2(b[6] as number)}${hex2(b[7] as number)}`;
}

export function formatEther(b: Buffer): string {
  return `${hex2(b[0] as number)}:${hex2(b[1] as number)}:${hex2(b[2] as number)}:${hex2(b[3] as number)}:${hex2(b[4] as number)}:${hex2(b[5] as number)}`;
}

/** Dotted quad into buf[off..off+4); false unless exactly four decimal octets 0..255. */
export function parseIPv4(s: string, buf: Buffer, off: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || part > 3) return false;
      buf[off + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else {
      return false;
    }
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** IPv6 text (with `::` and a trailing dotted quad) into buf[off..off+16). */
export function parseIPv6(s: string, buf: Buffer, off: number): boolean {
  const gap = s.indexOf('::');
  if (gap !== -1 && s.indexOf('::', gap + 1) !== -1) return false;
  const head = gap === -1 ? s : s.slice(0, gap);
  const tail = gap === -1 ? '' : s.slice(gap + 2);
  const headGroups: number[] = [];
  const tailGroups: number[] = [];
  if (!parseGroups(head, headGroups, gap === -1 || tail === '')) return false;
  if (gap !== -1 && !parseGroups(tail, tailGroups, true)) return false;
  const total = headGroups.length + tailGroups.length;
  if (gap === -1 ? total !== 8 : total > 7) return false;
  buf.fill(0, off, off + 16);
  headGroups.forEach((g, i) => buf.writeUInt16BE(g, off + i * 2));
  const tailStart = 8 - tailGroups.length;
  tailGroups.forEach((g, i) => buf.writeUInt16BE(g, off + (tailStart + i) * 2));
  return true;
}

/** Colon-separated hex groups; the last may be a dotted quad when `allowV4`. Empty text is zero groups. */
function parseGroups(text: string, out: number[], allowV4: boolean): boolean {
  if (text === '') return true;
  const parts = text.split(':');
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (allowV4 && p === parts.length - 1 && part.includes('.')) {
      const v4 = Buffer.allocUnsafe(4);
      if (!parseIPv4(part, v4, 0)) return false;
      out.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
      continue;
    }
    if (part.length === 0 || part.length > 4) return false;
    let g = 0;
    for (let i = 0; i < part.length; i++) {
      const h = hexValue(part.charCodeAt(i));
      if (h < 0) return false;
      g = g * 16 + h;
    }
    out.push(g);
  }
  return true;
}

/**
 * `size` octets from hex text: groups of `groupDigits` digits separated by `sep`, or bare hex digits.
 * Groups may be shorter (leading zeros dropped, as FreeRADIUS prints interface ids).
 */
export function parseHexGroups(s: string, buf: Buffer, off: number, size: number, sep: string, groupDigits: number): boolean {
  const parts = s.includes(sep) ? s.split(sep) : undefined;
  if (parts === undefined) {
    if (s.length !== size * 2) return false;
    for (let i = 0; i < size; i++) {
      const hi = hexValue(s.charCodeAt(i * 2));
      const lo = hexValue(s.charCodeAt(i * 2 + 1));
      if (hi < 0 || lo < 0) return false;
      buf[off + i] = hi * 16 + lo;
    }
    return true;
  }
  const groupBytes = groupDigits / 2;
  if (parts.length * groupBytes !== size) return false;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (part.length === 0 || part.length > groupDigits) return false;
    let g = 0;
    for (let i = 0; i < part.length; i++) {
      const h = hexValue(part.charCodeAt(i));
      if (h < 0) return false;
      g = g * 16 + h;
    }
    buf.writeUIntBE(g, off + p * groupBytes, groupBytes);
  }
  return true;
}

/** `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff` or `aabbccddeeff`. */
export function parseEther(s: string, buf: Buffer, off: number): boolean {
  if (s.includes('-')) return parseHexGroups(s, buf, off, 6, '-', 2);
  return parseHexGroups(s, buf, off, 6, ':', 2);
}

export function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

export function parsePrefixLength(s: string, from: number, max: number): number {
  const text = s.slice(from);
  if (!isDigits(text) || text.length > 3) return -1;
  const n = Number(text);
  return n <= max ? n : -1;
}

/** Zero the bits of buf[off .. off+size) beyond the first `bits`. */
export function maskBits(buf: Buffer, off: number, size: number, bits: number): void {
  for (let i = 0; i < size; i++) {
    const keep = bits - i * 8;
    if (keep >= 8) continue;
    buf[off + i] = keep <= 0 ? 0 : (buf[off + i] as number) & (0xff << (8 - keep));
  }
}


/** The 4 octets of a dotted quad, or undefined when `text` is not exactly four decimal octets 0..255. */
export function ipv4ToOctets(text: string): Buffer | undefined {
  const buf = Buffer.allocUnsafe(4);
  return parseIPv4(text, buf, 0) ? buf : undefined;
}

/** The dotted quad of a 4-octet value (Framed-IP-Address, NAS-IP-Address), or undefined for any other length. */
export function ipv4OfOctets(octets: Buffer): string | undefined {
  return octets.length === 4 ? formatIPv4(octets, 0) : undefined;
}

/** `::ffff:a.b.c.d` (how a dual-stack socket reports an IPv4 peer) as `a.b.c.d`; anything else unchanged. */
export function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * IPv4 or IPv6 text → integer, for range checks (CIDR membership, host bits); IPv4-mapped IPv6 is returned as
 * IPv4, an IPv6 zone (`%eth0`) is ignored. Undefined when the text is not an address. Octets with a leading zero
 * (`010.0.0.1`) are refused, as node:net's isIP refuses them: they read as octal elsewhere.
 */
export function addressToBigInt(address: string): { family: 4 | 6; value: bigint } | undefined {
  const mapped = unmapIPv4(address);
  if (!mapped.includes(':')) {
    if (hasLeadingZero(mapped)) return undefined;
    const b = ipv4ToOctets(mapped);
    return b === undefined ? undefined : { family: 4, value: BigInt(b.readUInt32BE(0)) };
  }
  const zone = mapped.indexOf('%');
  const text = zone >= 0 ? mapped.slice(0, zone) : mapped;
  const lastColon = text.lastIndexOf(':');
  if (zone === 0 || (text.includes('.') && hasLeadingZero(text.slice(lastColon + 1)))) return undefined;
  const b = Buffer.allocUnsafe(16);
  if (!parseIPv6(text, b, 0)) return undefined;
  return { family: 6, value: (b.readBigUInt64BE(0) << 64n) | b.readBigUInt64BE(8) };
}

/** The text of an address integer (the inverse of addressToBigInt): a dotted quad, or RFC 5952 IPv6 as Node reports it. */
export function addressText(family: 4 | 6, value: bigint): string {
  const b = Buffer.allocUnsafe(16);
  if (family === 4) {
    b.writeUInt32BE(Number(value & 0xffffffffn), 0);
    return formatIPv4(b, 0);
  }
  b.writeBigUInt64BE((value >> 64n) & 0xffffffffffffffffn, 0);
  b.writeBigUInt64BE(value & 0xffffffffffffffffn, 8);
  return formatIPv6(b, 0);
}

function hasLeadingZero(quad: string): boolean {
  for (let i = 0; i + 1 < quad.length; i++) {
    if (quad.charCodeAt(i) === 0x30 && (i === 0 || quad.charCodeAt(i - 1) === 0x2e) && quad.charCodeAt(i + 1) !== 0x2e) return true;
  }
  return false;
}
