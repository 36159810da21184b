/**
 * The subscriber directory the access handler reads. For now it is compiled from the config's `users`
 * list; the subscriber store replaces the source, not this interface. Reply attributes are encoded once,
 * here, so a request copies prepared bytes.
 */
import { ConfigError } from '../config/errors.js';
import type { UserConfig } from '../config/schema.js';
import type { Attribute } from '../radius/attributes.js';
import { encodeAttributes } from '../radius/encode.js';
import type { Dictionary } from '../radius/dictionary.js';
import type { RawAttribute } from '../radius/packet.js';
import { ntPasswordHash } from '../auth/mschapv2.js';

export interface UserEntry {
  readonly username: string;
  /** Cleartext password octets, when stored: PAP, CHAP and MS-CHAPv2 work. */
  readonly cleartext: Buffer | undefined;
  /** NT hash (MD4 of UTF-16LE password): PAP and MS-CHAPv2 work without the cleartext. */
  readonly ntHash: Buffer;
  /** Reply attributes for an Access-Accept, already encoded. */
  readonly reply: readonly RawAttribute[];
}

export interface UserDirectory {
  get(username: string): UserEntry | undefined;
  readonly size: number;
}

const INTEGER_TYPES = new Set(['integer', 'signed', 'byte', 'short', 'date', 'integer64', 'uint8', 'uint16', 'uint32', 'uint64', 'int32']);

/** Encodes `Name: value` reply attributes, naming the config key of any that does not encode. */
export function compileReplyAttributes(dict: Dictionary, reply: Readonly<Record<string, unknown>>, key: string): RawAttribute[] {
  const attrs: Attribute[] = [];
  for (const [name, raw] of Object.entries(reply)) {
    const def = dict.attribute(name);
    if (!def) throw new ConfigError('CONFIG_INVALID', `config: ${key}.${name}: attribute ${name} is not in the dictionary`);
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      let value: string | number;
      if (typeof v === 'number') value = v;
      else if (typeof v === 'string') value = INTEGER_TYPES.has(def.dataType) && /^\d+$/.test(v) ? Number(v) : v;
      else throw new ConfigError('CONFIG_INVALID', `config: ${key}.${name}: must be a string or number`);
      attrs.push({ name: def.name, value });
    }
  }
  try {
    return encodeAttributes(dict, attrs);
  } catch (err) {
    throw new ConfigError('CONFIG_INVALID', `config: ${key}: ${(err as Error).message}`, [], { cause: err });
  }
}

export class ConfigUserDirectory implements UserDirectory {
  private readonly users = new Map<string, UserEntry>();

  constructor(users: readonly UserConfig[], dict: Dictionary) {
    users.forEach((u, i) => {
      const cleartext = u.password !== undefined ? Buffer.from(u.password, 'utf8') : undefined;
      const ntHash = u.ntHash !== undefined ? Buffer.from(u.ntHash, 'hex') : ntPasswordHash(u.password ?? '');
      const reply = compileReplyAttributes(dict, u.reply, `users[${i}].reply`);
      this.users.set(u.username, { username: u.username, cleartext, ntHash, reply });
    });
  }

  get(username: string): UserEntry | undefined {
    return this.users.get(username);
  }

  get size(): number {
    return this.users.size;
  }
}
