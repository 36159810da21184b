/** NAS clients (the RADIUS client table the transport compiles at start-up and on change). */
import { VENDORS, type Nas, type VendorName } from '../../domain/types.js';
import type { NasInput, NasPatch, NasRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { assignments } from '../sql-build.js';
import { isoTime } from '../sql-values.js';
import { addressOrCidr, checkNas, intInRange, nonEmpty, oneOf } from '../validate.js';

interface NasRow {
  id: number;
  name: string;
  address: string;
  secret: string;
  vendor: VendorName;
  coa_port: number;
  require_message_authenticator: boolean;
  message_authenticator_auto: boolean;
  limit_proxy_state: boolean;
  message_authenticator_seen_at: Date | null;
  tls_name: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, name, address, secret, vendor, coa_port, require_message_authenticator, message_authenticator_auto, limit_proxy_state, message_authenticator_seen_at, tls_name, created_at, updated_at';

const PATCH_COLUMNS = {
  name: 'name',
  address: 'address',
  secret: 'secret',
  vendor: 'vendor',
  coaPort: 'coa_port',
  limitProxyState: 'limit_proxy_state',
  tlsName: 'tls_name',
} as const;

function toNas(row: NasRow): Nas {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    secret: row.secret,
    vendor: row.vendor,
    coaPort: row.coa_port,
    // require_message_authenticator is what is required now (migration 11): for auto, whether it was seen.
    requireMessageAuthenticator: row.message_authenticator_auto ? 'auto' : row.require_message_authenticator,
    limitProxyState: row.limit_proxy_state,
    messageAuthenticatorSeenAt: row.message_authenticator_seen_at && isoTime(row.message_authenticator_seen_at),
    tlsName: row.tls_name,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

function check(patch: NasPatch): void {
  checkNas(patch);
  if (patch.name !== undefined) nonEmpty('name', patch.name);
  if (patch.address !== undefined) addressOrCidr('address', patch.address);
  if (patch.secret !== undefined) nonEmpty('secret', patch.secret);
  if (patch.vendor !== undefined) oneOf('vendor', patch.vendor, VENDORS);
  if (patch.coaPort !== undefined) intInRange('coaPort', patch.coaPort, 1, 65535);
}

async function getOne(sql: Sql, id: number): Promise<Nas | undefined> {
  const [row] = await sql.query<NasRow>(`SELECT ${COLUMNS} FROM nas WHERE id = $1`, [id]);
  return row && toNas(row);
}

export function nasRepository(sql: Sql): NasRepository {
  return {
    async list() {
      return (await sql.query<NasRow>(`SELECT ${COLUMNS} FROM nas ORDER BY id`)).map(toNas);
    },
    get: (id) => getOne(sql, id),
    async create(input: NasInput) {
      check(input);
      const [row] = await sql.query<NasRow>(
        `INSERT INTO nas (name, address, secret, vendor, coa_port, require_message_authenticator, message_authenticator_auto, limit_proxy_state, tls_name)
         VALUES ($1, $2, $3, $4, coalesce($5, 3799), $6, $7, coalesce($8, true), $9)
         RETURNING ${COLUMNS}`,
        [
          input.name,
          input.address,
          input.secret,
          input.vendor,
          input.coaPort ?? null,
          // New entries are auto unless they say otherwise.
          input.requireMessageAuthenticator === true,
          (input.requireMessageAuthenticator ?? 'auto') === 'auto',
          input.limitProxyState ?? null,
          input.tlsName ?? null,
        ],
      );
      return toNas(row!);
    },
    async update(id, patch) {
      check(patch);
      const params: unknown[] = [id];
      const sets = assignments(patch, PATCH_COLUMNS, params);
      const requirement = patch.requireMessageAuthenticator;
      if (requirement === 'auto') {
        sets.push('message_authenticator_auto = true', 'require_message_authenticator = (message_authenticator_seen_at IS NOT NULL)');
      } else if (requirement !== undefined) {
        params.push(requirement);
        sets.push('message_authenticator_auto = false', `require_message_authenticator = $${params.length}`);
      }
      if (sets.length === 0) return getOne(sql, id);
      const [row] = await sql.query<NasRow>(`UPDATE nas SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
      return row && toNas(row);
    },
    async delete(id) {
      return (await sql.query('DELETE FROM nas WHERE id = $1 RETURNING id', [id])).length > 0;
    },
    async messageAuthenticatorSeen(id) {
      const rows = await sql.query(
        `UPDATE nas SET message_authenticator_seen_at = now(), require_message_authenticator = require_message_authenticator OR message_authenticator_auto
         WHERE id = $1 AND message_authenticator_seen_at IS NULL RETURNING id`,
        [id],
      );
      return rows.length > 0;
    },
    async configClientMessageAuthenticatorSeen(address, name) {
      const rows = await sql.query(
        'INSERT INTO config_client_message_authenticator (address, name) VALUES ($1, $2) ON CONFLICT (address) DO NOTHING RETURNING address',
        [address, name],
      );
      return rows.length > 0;
    },
    async configClientsWithMessageAuthenticator() {
      const rows = await sql.query<{ address: string }>('SELECT address FROM config_client_message_authenticator');
      return new Set(rows.map((r) => r.address));
    },
  };
}
