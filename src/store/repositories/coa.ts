/**
 * CoA state and audit: `sessions.coa_state` (what the NAS was last told about a live session) as the blocking
 * reconciler claims and releases it, and one `coa_audit` row per CoA/Disconnect request (docs/schema.md).
 */
import type { CoaAuditRow, CoaClaim, CoaRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';

interface ClaimedRow {
  id: number | string;
  username: string;
  acct_session_id: string;
  framed_ip: string | null;
  nas_name: string;
  coa_state: 'normal' | 'restricted';
}

const DESIRED = `CASE a.state WHEN 'blocked' THEN 'restricted' ELSE 'normal' END`;

/*
 * One UPDATE … RETURNING: with several instances (and several workers) receiving the same change event, each
 * session is claimed by exactly one, which then sends its action.
 */
const CLAIM = /* sql */ `
UPDATE sessions s SET coa_state = ${DESIRED}
FROM accounts a
WHERE s.account_id = a.id AND s.stopped_at IS NULL
  AND ($1::bigint[] IS NULL OR a.id = ANY($1::bigint[]))
  AND s.coa_state <> ${DESIRED}
RETURNING s.id, s.username, s.acct_session_id, host(s.framed_ip) AS framed_ip, s.nas_name, s.coa_state`;

const RELEASE = /* sql */ `UPDATE sessions SET coa_state = $2 WHERE id = $1 AND coa_state = $3 RETURNING id`;

const INSERT_AUDIT = /* sql */ `
INSERT INTO coa_audit (at, nas, session_id, acct_session_id, username, request, action, attempts, result, error_cause, rtt_ms, transport)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

export function coaRepository(sql: Sql): CoaRepository {
  return {
    async claim(accountIds) {
      const rows = await sql.query<ClaimedRow>(CLAIM, [accountIds === null ? null : [...accountIds]]);
      return rows.map(
        (r): CoaClaim => ({
          sessionId: Number(r.id),
          username: r.username,
          acctSessionId: r.acct_session_id,
          framedIp: r.framed_ip,
          nasName: r.nas_name,
          state: r.coa_state,
        }),
      );
    },
    async release(claim) {
      const previous = claim.state === 'restricted' ? 'normal' : 'restricted';
      const rows = await sql.query(RELEASE, [claim.sessionId, previous, claim.state]);
      return rows.length > 0;
    },
    async audit(row: CoaAuditRow) {
      await sql.query(INSERT_AUDIT, [
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
        row.transport,
      ]);
    },
  };
}
