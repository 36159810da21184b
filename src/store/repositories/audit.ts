/**
 * The audit log (docs/console.md): append-only, one row per change made by an operator (or the bootstrap
 * admin, or the CLI), written through the change's own transaction so that there is no change without its row
 * and no row for a change that rolled back. `before` and `after` arrive redacted (the API's `audited` helper);
 * this file redacts them again, so a direct caller cannot store a secret by mistake. Read newest first with a
 * keyset cursor (`before` = an entry id).
 */
import { redactSecrets, type AuditEntry, type AuditVia } from '../../domain/operators.js';
import type { AuditRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { isoTime } from '../sql-values.js';

interface AuditRow {
  id: number;
  at: Date;
  operator_id: number | null;
  login: string;
  via: AuditVia;
  address: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
}

const COLUMNS = 'id, at, operator_id, login, via, address, action, target, before, after';

/** Both drivers parse jsonb; a driver that hands back text is parsed here. */
const json = (value: unknown): unknown => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: isoTime(r.at),
  operatorId: r.operator_id,
  login: r.login,
  via: r.via,
  address: r.address,
  action: r.action,
  target: r.target,
  before: json(r.before) ?? null,
  after: json(r.after) ?? null,
});

const asJson = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(redactSecrets(value)));

export function auditRepository(sql: Sql): AuditRepository {
  return {
    async append(entry) {
      if (entry.action === '') throw new RangeError('action: must be a non-empty string');
      const [row] = await sql.query<AuditRow>(
        `INSERT INTO audit_log (operator_id, login, via, address, action, target, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) RETURNING ${COLUMNS}`,
        [entry.operatorId, entry.login, entry.via, entry.address, entry.action, entry.target, asJson(entry.before), asJson(entry.after)],
      );
      return toEntry(row!);
    },
    async query(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: (n: string) => string, value: unknown) => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (filter.operatorId !== undefined) add((p) => `operator_id = ${p}`, filter.operatorId);
      if (filter.target !== undefined) add((p) => `target = ${p}`, filter.target);
      if (filter.action !== undefined) add((p) => `action = ${p}`, filter.action);
      if (filter.from !== undefined) add((p) => `at >= ${p}::timestamptz`, filter.from);
      if (filter.to !== undefined) add((p) => `at < ${p}::timestamptz`, filter.to);
      if (filter.before !== undefined) add((p) => `(at, id) < (SELECT at, id FROM audit_log WHERE id = ${p})`, filter.before);
      params.push(filter.limit);
      const rows = await sql.query<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toEntry);
    },
  };
}
