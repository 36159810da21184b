/** One `coa_audit` row per CoA/Disconnect request after its final outcome (docs/schema.md). */
import type { Sql } from '../domain/ports.js';

export interface CoaAuditRow {
  /** When the request was first sent. */
  readonly at: Date;
  readonly nas: string;
  readonly sessionId: number | null;
  readonly acctSessionId: string | null;
  readonly username: string | null;
  readonly request: 'coa' | 'disconnect';
  readonly action: string;
  readonly attempts: number;
  readonly result: 'ack' | 'nak' | 'timeout';
  readonly errorCause: number | null;
  readonly rttMs: number | null;
}

const INSERT = /* sql */ `
INSERT INTO coa_audit (at, nas, session_id, acct_session_id, username, request, action, attempts, result, error_cause, rtt_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

export async function insertCoaAudit(sql: Sql, row: CoaAuditRow): Promise<void> {
  await sql.query(INSERT, [
    row.at.toISOString(),
    row.nas,
    row.sessionId,
    row.acctSessionId,
    row.username,
    row.request,
    row.action,
    row.attempts,
    row.result,
    row.errorCause,
    row.rttMs,
  ]);
}
