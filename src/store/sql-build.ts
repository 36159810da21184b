/** Small helpers for the SQL the repositories build: SET lists from patches, pages. */
import type { Page } from '../domain/types.js';
import type { PageRequest } from '../domain/ports.js';
import type { Sql } from './sql.js';
import { pageRequest } from './validate.js';

/**
 * `col = $n` for each defined value, appending the values to `params`. `columns` maps patch keys to columns;
 * keys absent from the patch (undefined) are left alone, null sets NULL.
 */
export function assignments(values: Readonly<Record<string, unknown>>, columns: Readonly<Record<string, string>>, params: unknown[]): string[] {
  const sets: string[] = [];
  for (const [key, column] of Object.entries(columns)) {
    const value = values[key];
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  return sets;
}

/** One page of `select` (which must end before ORDER BY) ordered by id, with the total from `countSql`. */
export async function pageOf<Row, T>(
  sql: Sql,
  page: PageRequest,
  select: { text: string; params: readonly unknown[] },
  countText: string,
  map: (row: Row) => T,
): Promise<Page<T>> {
  pageRequest(page.limit, page.offset);
  const n = select.params.length;
  const [rows, totals] = await Promise.all([
    sql.query<Row>(`${select.text} ORDER BY id LIMIT $${n + 1} OFFSET $${n + 2}`, [...select.params, page.limit, page.offset]),
    sql.query<{ total: number }>(countText, select.params),
  ]);
  return { items: rows.map(map), total: totals[0]?.total ?? 0, limit: page.limit, offset: page.offset };
}
