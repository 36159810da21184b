/**
 * FreeRADIUS's clients.conf (and its SQL `nas` table) as NAS clients: `client NAME { ipaddr = …; secret = …;
 * shortname = …; nas_type = … }`. The address is ipaddr, ipv4addr or ipv6addr (a /prefix allowed), or the
 * client's name when that is an address (the FreeRADIUS 2 form `client 192.0.2.0/24 { … }`); the name is the
 * shortname, else the client's name; nas_type picks the vendor profile where one matches. Nested sections
 * (`limit { … }`) are read past; `$INCLUDE` is reported, not followed.
 */
import { ipFamily } from '../schema/index.js';
import { VENDORS, type VendorName } from '../domain/types.js';

export interface ClientsConfClient {
  /** 1-based line of `client NAME {`. */
  readonly line: number;
  /** The client's name on the `client` line. */
  readonly label: string;
  /** Every `key = value` directly inside the client, keys lower-cased, quotes removed. */
  readonly settings: ReadonlyMap<string, string>;
}

export interface ParsedClientsConf {
  readonly clients: readonly ClientsConfClient[];
  /** Lines not understood or not followed ($INCLUDE), with the line number. */
  readonly notes: readonly string[];
}

/** A NAS to create, or why the client cannot be one. */
export type NasCandidate =
  | { readonly ok: true; readonly where: string; readonly name: string; readonly address: string; readonly secret: string; readonly vendor: VendorName; readonly requireMessageAuthenticator?: boolean; readonly notes: readonly string[] }
  | { readonly ok: false; readonly where: string; readonly name: string; readonly reason: string };

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1).replace(/\\(["'\\])/g, '$1');
  return v;
}

/** Strips a # comment that is not inside quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

export function parseClientsConf(text: string): ParsedClientsConf {
  const clients: ClientsConfClient[] = [];
  const notes: string[] = [];
  let current: { line: number; label: string; settings: Map<string, string> } | null = null;
  // Depth inside the current client: 1 = its own settings, more = a nested section.
  let depth = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = stripComment(raw).trim();
    if (line === '') return;
    if (/^\$INCLUDE\b/i.test(line)) {
      notes.push(`line ${lineNo}: ${line} is not followed; import the included file with its own --clients`);
      return;
    }
    if (current === null) {
      const open = /^client\s+("[^"]*"|\S+)\s*\{\s*(\})?$/.exec(line);
      if (open) {
        current = { line: lineNo, label: unquote(open[1]!), settings: new Map() };
        depth = 1;
        if (open[2]) {
          clients.push(current);
          current = null;
        }
      } else if (line !== '}') notes.push(`line ${lineNo}: outside a client section, ignored: ${line}`);
      return;
    }
    if (line === '}') {
      depth--;
      if (depth === 0) {
        clients.push(current);
        current = null;
      }
      return;
    }
    if (line.endsWith('{')) {
      depth++;
      return;
    }
    if (depth !== 1) return;
    const setting = /^([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*;?$/.exec(line);
    if (setting) current.settings.set(setting[1]!.toLowerCase(), unquote(setting[2]!));
    else notes.push(`line ${lineNo}: not a setting, ignored: ${line}`);
  });
  if (current !== null) notes.push(`line ${(current as { line: number }).line}: client ${(current as { label: string }).label} is not closed with }`);
  return { clients, notes };
}

/** FreeRADIUS nas_type values (and the names operators use) → the vendor profile; anything else is generic. */
const VENDOR_OF: Readonly<Record<string, VendorName>> = {
  cisco: 'cisco',
  juniper: 'juniper',
  mikrotik: 'mikrotik',
  huawei: 'huawei',
  ericsson: 'ericsson',
  redback: 'ericsson',
  'accel-ppp': 'accel-ppp',
  accel: 'accel-ppp',
  vasexperts: 'vasexperts',
};

/** A vendor for a nas_type, and a note when it maps to generic. */
export function vendorOfNasType(nasType: string | null | undefined): { vendor: VendorName; note?: string } {
  const key = (nasType ?? '').trim().toLowerCase();
  if (key === '' || key === 'other') return { vendor: 'generic' };
  const vendor = VENDOR_OF[key] ?? ((VENDORS as readonly string[]).includes(key) ? (key as VendorName) : undefined);
  if (vendor !== undefined) return { vendor };
  return { vendor: 'generic', note: `nas_type ${nasType} has no vendor profile here: generic` };
}

function isAddressOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = address === undefined ? 0 : ipFamily(address);
  return family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
}

/** One NAS from a clients.conf client. The store's checks still apply when it is created. */
export function nasFromClient(client: ClientsConfClient, source: string): NasCandidate {
  const where = `${source} line ${client.line}`;
  const s = client.settings;
  const name = s.get('shortname') || client.label;
  const explicit = s.get('ipaddr') ?? s.get('ipv4addr') ?? s.get('ipv6addr');
  const address = explicit ?? (isAddressOrCidr(client.label) ? client.label : undefined);
  if (address === undefined) return { ok: false, where, name, reason: 'no ipaddr, ipv4addr or ipv6addr (a hostname cannot be a NAS address here)' };
  if (!isAddressOrCidr(address)) return { ok: false, where, name, reason: `address ${address} is not an IP address or CIDR (hostnames are not resolved)` };
  const secret = s.get('secret');
  if (secret === undefined || secret === '') return { ok: false, where, name, reason: 'no secret' };
  const { vendor, note } = vendorOfNasType(s.get('nas_type'));
  const rma = s.get('require_message_authenticator')?.toLowerCase();
  const requireMessageAuthenticator = rma === 'yes' || rma === 'true' ? true : rma === 'no' || rma === 'false' ? false : undefined;
  return { ok: true, where, name, address, secret, vendor, ...(requireMessageAuthenticator === undefined ? {} : { requireMessageAuthenticator }), notes: note === undefined ? [] : [note] };
}

/** One NAS from a row of FreeRADIUS's SQL nas table (nasname is the address or CIDR). */
export function nasFromSqlRow(row: { nasname: string; shortname: string | null; type: string | null; secret: string }): NasCandidate {
  const where = `nas table ${JSON.stringify(row.nasname)}`;
  const name = row.shortname?.trim() || row.nasname;
  const address = row.nasname.trim();
  if (!isAddressOrCidr(address)) return { ok: false, where, name, reason: `nasname ${address} is not an IP address or CIDR (hostnames are not resolved)` };
  if (row.secret === '') return { ok: false, where, name, reason: 'no secret' };
  const { vendor, note } = vendorOfNasType(row.type);
  return { ok: true, where, name, address, secret: row.secret, vendor, notes: note === undefined ? [] : [note] };
}
