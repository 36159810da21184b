/** Tariffs: fee, speed and prices, referenced by subscribers and subscriptions. */
import type { Tariff } from '../../domain/types.js';
import type { TariffPatch, TariffRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { assignments, pageOf } from '../sql-build.js';
import { isoTime } from '../sql-values.js';
import { count, nonEmpty } from '../validate.js';

interface TariffRow {
  id: number;
  name: string;
  monthly_fee: number;
  down_kbps: number;
  up_kbps: number;
  price_per_gb: number;
  included_bytes: number;
  price_per_minute: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, monthly_fee, down_kbps, up_kbps, price_per_gb, included_bytes, price_per_minute, created_at, updated_at';

const PATCH_COLUMNS = {
  name: 'name',
  monthlyFee: 'monthly_fee',
  downKbps: 'down_kbps',
  upKbps: 'up_kbps',
  pricePerGB: 'price_per_gb',
  includedBytes: 'included_bytes',
  pricePerMinute: 'price_per_minute',
} as const;

const COUNTS = ['monthlyFee', 'downKbps', 'upKbps', 'pricePerGB', 'includedBytes', 'pricePerMinute'] as const;

function toTariff(row: TariffRow): Tariff {
  return {
    id: row.id,
    name: row.name,
    monthlyFee: row.monthly_fee,
    downKbps: row.down_kbps,
    upKbps: row.up_kbps,
    pricePerGB: row.price_per_gb,
    includedBytes: row.included_bytes,
    pricePerMinute: row.price_per_minute,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

function check(patch: TariffPatch): void {
  if (patch.name !== undefined) nonEmpty('name', patch.name);
  for (const key of COUNTS) {
    const value = patch[key];
    if (value !== undefined) count(key, value);
  }
}

async function getOne(sql: Sql, id: number): Promise<Tariff | undefined> {
  const [row] = await sql.query<TariffRow>(`SELECT ${COLUMNS} FROM tariffs WHERE id = $1`, [id]);
  return row && toTariff(row);
}

export function tariffRepository(sql: Sql): TariffRepository {
  return {
    list(page) {
      return pageOf(sql, page, { text: `SELECT ${COLUMNS} FROM tariffs`, params: [] }, 'SELECT count(*) AS total FROM tariffs', toTariff);
    },
    get: (id) => getOne(sql, id),
    async create(input) {
      check(input);
      const [row] = await sql.query<TariffRow>(
        `INSERT INTO tariffs (name, monthly_fee, down_kbps, up_kbps, price_per_gb, included_bytes, price_per_minute)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [
          input.name,
          input.monthlyFee ?? 0,
          input.downKbps ?? 0,
          input.upKbps ?? 0,
          input.pricePerGB ?? 0,
          input.includedBytes ?? 0,
          input.pricePerMinute ?? 0,
        ],
      );
      return toTariff(row!);
    },
    async update(id, patch) {
      check(patch);
      const params: unknown[] = [id];
      const sets = assignments(patch, PATCH_COLUMNS, params);
      if (sets.length === 0) return getOne(sql, id);
      const [row] = await sql.query<TariffRow>(`UPDATE tariffs SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
      return row && toTariff(row);
    },
    async delete(id) {
      return (await sql.query('DELETE FROM tariffs WHERE id = $1 RETURNING id', [id])).length > 0;
    },
  };
}
