/**
 * The held-for-review queue (accounting_held, docs/accounting.md rule 7): accounting increments no link could
 * carry, held by the rater instead of charged, until an operator approves or discards them. Approving journals
 * the record again, marked approved, in the same transaction as the decision, so the rater applies it to its
 * session exactly once; a decision only moves a row that is still 'held', so two operators cannot both decide it.
 */
import { decodeRecord, encodeRecords } from './journal-codec.js';
import type { AccountingRecord } from '../../domain/accounting.js';
import { HELD_STATES, StoreError, type AccountingHeldRepository, type HeldAccounting, type HeldDecision, type HeldReason, type HeldRecordView, type HeldState } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { isoTime } from '../sql-values.js';
import { count, intInRange, nonEmpty, oneOf } from '../validate.js';

interface HeldRow {
  id: number;
  held_at: Date;
  session_id: number | null;
  account_id: number | null;
  nas_name: string;
  acct_session_id: string;
  username: string;
  reason: HeldReason;
  octets: string;
  seconds: string;
  elapsed_seconds: string;
  record: string;
  state: HeldState;
  decided_at: Date | null;
  decided_by: string | null;
  note: string | null;
}

// The increments are numeric (they can exceed bigint): read as text, never as a rounded number.
const COLUMNS = `id, held_at, session_id, account_id, nas_name, acct_session_id, username, reason, octets::text AS octets,
  seconds::text AS seconds, elapsed_seconds::text AS elapsed_seconds, record, state, decided_at, decided_by, note`;

/** The held record as journaled: one encoded record, or (accepted too) a one-record journal body. */
function parseRecord(text: string): AccountingRecord {
  const parsed: unknown = JSON.parse(text);
  const encoded: unknown = Array.isArray(parsed) && parsed.length === 1 && Array.isArray(parsed[0]) ? parsed[0] : parsed;
  return decodeRecord(encoded);
}

function viewOf(text: string): HeldRecordView | null {
  let r: AccountingRecord;
  try {
    r = parseRecord(text);
  } catch {
    // Shown as null rather than failing the whole list; approving it is refused with the reason.
    return null;
  }
  return {
    status: r.status,
    statusType: r.statusType,
    acctSessionId: r.acctSessionId,
    username: r.username,
    framedIp: r.framedIp,
    callingStationId: r.callingStationId,
    nasPort: r.nasPort,
    sessionTime: r.sessionTime === null ? null : String(r.sessionTime),
    inputOctets: r.input === null ? null : String(r.input.bytes),
    outputOctets: r.output === null ? null : String(r.output.bytes),
    eventTime: r.eventTime.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    delayTime: r.delayTime,
    terminateCause: r.terminateCause,
    answered: r.answered,
  };
}

function toHeld(r: HeldRow): HeldAccounting {
  return {
    id: r.id,
    heldAt: isoTime(r.held_at),
    sessionId: r.session_id,
    accountId: r.account_id,
    nas: r.nas_name,
    acctSessionId: r.acct_session_id,
    username: r.username,
    reason: r.reason,
    octets: r.octets,
    seconds: r.seconds,
    elapsedSeconds: r.elapsed_seconds,
    record: viewOf(r.record),
    state: r.state,
    decidedAt: r.decided_at === null ? null : isoTime(r.decided_at),
    decidedBy: r.decided_by,
    note: r.note,
  };
}

async function getHeld(sql: Sql, id: number): Promise<HeldAccounting | undefined> {
  const [row] = await sql.query<HeldRow>(`SELECT ${COLUMNS} FROM accounting_held WHERE id = $1`, [id]);
  return row && toHeld(row);
}

/** Why a decision moved no row: the id is unknown (404), or the row was decided already (409). */
async function undecidable(tx: Sql, id: number): Promise<StoreError> {
  const held = await getHeld(tx, id);
  if (!held) return new StoreError('STORE_NOT_FOUND', `no held accounting record with id ${id}`);
  return new StoreError('STORE_CONFLICT', `held accounting record ${id} was already ${held.state} (by ${held.decidedBy ?? 'unknown'} at ${held.decidedAt ?? 'unknown'}); only a held record can be approved or discarded`);
}

function checkDecision(decision: HeldDecision): { by: string; note: string | null } {
  return { by: nonEmpty('by', decision.by), note: decision.note ?? null };
}

export function accountingHeldRepository(sql: Sql): AccountingHeldRepository {
  return {
    async list(filter) {
      intInRange('limit', filter.limit, 1, 1000);
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.state !== undefined) {
        params.push(oneOf('state', filter.state, HELD_STATES));
        where.push(`state = $${params.length}`);
      }
      if (filter.after !== undefined) {
        params.push(count('after', filter.after));
        where.push(`id > $${params.length}`);
      }
      params.push(filter.limit);
      const rows = await sql.query<HeldRow>(
        `SELECT ${COLUMNS} FROM accounting_held ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      return rows.map(toHeld);
    },

    get: (id) => getHeld(sql, id),

    async approve(id, decision) {
      const { by, note } = checkDecision(decision);
      return sql.transaction(async (tx) => {
        const [row] = await tx.query<{ record: string; session_id: number | null }>(
          `UPDATE accounting_held SET state = 'approved', decided_at = now(), decided_by = $2, note = $3
           WHERE id = $1 AND state = 'held' RETURNING record, session_id`,
          [id, by, note],
        );
        if (!row) throw await undecidable(tx, id);
        let record: AccountingRecord;
        try {
          record = parseRecord(row.record);
        } catch (err) {
          // Thrown inside the transaction, so the row stays 'held' for a discard.
          throw new StoreError('STORE_CONFLICT', `held accounting record ${id} does not decode (${(err as Error).message}); it can only be discarded`, undefined, { cause: err });
        }
        // The rater applies an approved record to that very session, without the plausibility checks.
        const body = encodeRecords([{ ...record, approved: { heldId: id, sessionId: row.session_id } }]);
        await tx.query('INSERT INTO accounting_journal (records, body) VALUES (1, $1)', [body]);
        return (await getHeld(tx, id))!;
      });
    },

    async discard(id, decision) {
      const { by, note } = checkDecision(decision);
      return sql.transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE accounting_held SET state = 'discarded', decided_at = now(), decided_by = $2, note = $3
           WHERE id = $1 AND state = 'held' RETURNING id`,
          [id, by, note],
        );
        if (rows.length === 0) throw await undecidable(tx, id);
        return (await getHeld(tx, id))!;
      });
    },

    async countPending() {
      const [row] = await sql.query<{ n: number }>("SELECT count(*) AS n FROM accounting_held WHERE state = 'held'");
      return row?.n ?? 0;
    },
  };
}
