/**
 * The session history export for abuse and lawful-intercept requests, shared by the admin API
 * (`GET /api/v1/sessions/export`) and the CLI (`tollgate sessions export`): one column set, CSV (RFC 4180) or a
 * JSON array, encoded page by page so a month of sessions streams through without being held in memory.
 */
import type { Session } from './ports.js';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One exported session. Times are ISO-8601 UTC; octets count bytes as the NAS reported them. */
export interface ExportedSession {
  readonly id: number;
  readonly username: string;
  readonly framedIp: string | null;
  /** Calling-Station-Id: the MAC address on most BRAS. */
  readonly callingStationId: string | null;
  readonly nas: string;
  readonly nasPort: string | null;
  readonly acctSessionId: string;
  readonly startedAt: string;
  /** Null while the session is open. */
  readonly stoppedAt: string | null;
  readonly inputOctets: number;
  readonly outputOctets: number;
  readonly sessionTime: number;
  readonly terminateCause: string | null;
}

/** CSV header names, in column order, next to the JSON key each one carries. */
export const EXPORT_COLUMNS = [
  ['id', 'id'],
  ['username', 'username'],
  ['framed_ip', 'framedIp'],
  ['calling_station_id', 'callingStationId'],
  ['nas', 'nas'],
  ['nas_port', 'nasPort'],
  ['acct_session_id', 'acctSessionId'],
  ['started_at', 'startedAt'],
  ['stopped_at', 'stoppedAt'],
  ['input_octets', 'inputOctets'],
  ['output_octets', 'outputOctets'],
  ['session_time', 'sessionTime'],
  ['terminate_cause', 'terminateCause'],
] as const satisfies readonly (readonly [string, keyof ExportedSession])[];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
};

export function exportedSession(s: Session): ExportedSession {
  return {
    id: s.id,
    username: s.username,
    framedIp: s.framedIp,
    callingStationId: s.callingStationId,
    nas: s.nas,
    nasPort: s.nasPort,
    acctSessionId: s.acctSessionId,
    startedAt: s.startedAt,
    stoppedAt: s.stoppedAt,
    inputOctets: s.inputOctets,
    outputOctets: s.outputOctets,
    sessionTime: s.sessionTime,
    terminateCause: s.terminateCause,
  };
}

/**
 * One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF (quotes doubled); null is empty.
 * Values are never altered otherwise: an export is evidence, so no spreadsheet-formula escaping.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record with its CRLF line break (RFC 4180 §2). */
export function csvRecord(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export const CSV_HEADER = csvRecord(EXPORT_COLUMNS.map(([name]) => name));

/**
 * The export as text chunks, one per page of sessions: CSV (header row first) or a JSON array of
 * ExportedSession objects. An empty range gives the header alone, or `[]`.
 */
export async function* encodeSessionExport(pages: AsyncIterable<readonly Session[]>, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') {
    yield CSV_HEADER;
    for await (const page of pages) {
      yield page.map((s) => {
        const row = exportedSession(s);
        return csvRecord(EXPORT_COLUMNS.map(([, key]) => row[key]));
      }).join('');
    }
    return;
  }
  let first = true;
  yield '[';
  for await (const page of pages) {
    if (page.length === 0) continue;
    const items = page.map((s) => JSON.stringify(exportedSession(s))).join(',\n');
    yield `${first ? '\n' : ',\n'}${items}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
