/**
 * `GET /api/v1/sessions/export`: the sessions overlapping [from, to), optionally of one username or IP, as CSV or
 * JSON, streamed page by page from the repository's keyset export. The first page is read before the status line
 * is sent, so a bad range is a 400 and an unreachable database a 503, both as JSON; a failure after that cuts the
 * response short (the chunked body never completes), which HTTP clients report as an error.
 */
import { encodeSessionExport, EXPORT_CONTENT_TYPES, EXPORT_FORMATS } from '../../domain/session-export.js';
import type { Session, SessionExportFilter, Store } from '../../domain/ports.js';
import { ApiError, type FieldIssue } from './errors.js';
import { oneOf, text, timestamp, type JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import type { ApiRoute } from './route.js';
import { hostIp } from './sessions.js';
import { parseQuery } from './validate.js';

export const SESSIONS_EXPORT_PATH = `${API_PREFIX}/sessions/export`;

export const exportQuery = {
  from: timestamp('Required. Start of the range (inclusive), ISO-8601 with a zone. Sessions still open at this instant are included.').optional(),
  to: timestamp('Required. End of the range (exclusive), ISO-8601 with a zone; after from.').optional(),
  format: oneOf(EXPORT_FORMATS, 'csv (RFC 4180, header row, CRLF) or json (an array).').withDefault('csv'),
  username: text({ description: 'Only sessions of this exact username.', maxLength: 253 }).optional(),
  ip: hostIp('Only sessions that held this Framed-IP-Address.').optional(),
};

const nullable = (description: string): JsonSchema => ({ type: ['string', 'null'], description });

/** The JSON format's item (the CSV columns carry the same values, snake_case, in this order). */
export const EXPORTED_SESSION_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'A session in the export. CSV columns: id, username, framed_ip, calling_station_id, nas, nas_port, acct_session_id, started_at, stopped_at, input_octets, output_octets, session_time, terminate_cause.',
  properties: {
    id: { type: 'integer', minimum: 1 },
    username: { type: 'string' },
    framedIp: nullable('Framed-IP-Address.'),
    callingStationId: nullable('Calling-Station-Id (the MAC address on most BRAS).'),
    nas: { type: 'string', description: 'NAS name.' },
    nasPort: nullable('NAS-Port or NAS-Port-Id.'),
    acctSessionId: { type: 'string' },
    startedAt: { type: 'string', format: 'date-time' },
    stoppedAt: { type: ['string', 'null'], format: 'date-time', description: 'Null while open.' },
    inputOctets: { type: 'integer', minimum: 0, description: 'Bytes from the subscriber.' },
    outputOctets: { type: 'integer', minimum: 0, description: 'Bytes to the subscriber.' },
    sessionTime: { type: 'integer', minimum: 0, description: 'Seconds.' },
    terminateCause: nullable('Acct-Terminate-Cause.'),
  },
  required: ['id', 'username', 'framedIp', 'callingStationId', 'nas', 'nasPort', 'acctSessionId', 'startedAt', 'stoppedAt', 'inputOctets', 'outputOctets', 'sessionTime', 'terminateCause'],
};

function rangeIssues(q: { from?: string; to?: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (q.from === undefined) issues.push({ field: 'from', message: 'from is required: the start of the range, e.g. 2025-01-01T00:00:00Z' });
  if (q.to === undefined) issues.push({ field: 'to', message: 'to is required: the end of the range (exclusive), e.g. 2025-02-01T00:00:00Z' });
  if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) <= Date.parse(q.from)) {
    issues.push({ field: 'to', message: `to must be after from (from ${q.from}, to ${q.to})` });
  }
  return issues;
}

/** Yields `first` and then the rest of `it`; closes `it` when the consumer stops early. */
async function* resume<T>(it: AsyncIterator<T>, first: IteratorResult<T>): AsyncGenerator<T> {
  try {
    for (let r = first; r.done !== true; r = await it.next()) yield r.value;
  } finally {
    await it.return?.();
  }
}

/** The pages of an export with the first one already read (so a database failure is still a JSON error). */
export async function readExport(store: Store, filter: SessionExportFilter): Promise<AsyncIterable<Session[]>> {
  const it = store.sessions.exportRange(filter)[Symbol.asyncIterator]();
  return resume(it, await it.next());
}

export const sessionExportRoute: ApiRoute = {
  method: 'GET',
  permission: 'export',
  pattern: SESSIONS_EXPORT_PATH,
  operationId: 'exportSessions',
  summary: 'Export the sessions overlapping a time range (abuse and lawful-intercept requests) as CSV or JSON, streamed',
  tag: 'Sessions',
  query: exportQuery,
  success: {
    status: 200,
    description: 'Every matching session, oldest start first. CSV: a header row then one row per session (RFC 4180). JSON: an array of ExportedSession.',
    schema: { type: 'array', items: schemaRef('ExportedSession') },
    mediaTypes: {
      'text/csv': { type: 'string', description: 'RFC 4180: a header row (the column names in ExportedSession) and one CRLF-terminated row per session.' },
      'application/json': { type: 'array', items: schemaRef('ExportedSession') },
    },
  },
  errors: ['VALIDATION_FAILED'],
  async handle(ctx) {
    const q = parseQuery(exportQuery, ctx.query);
    const issues = rangeIssues(q);
    if (issues.length > 0 || q.from === undefined || q.to === undefined) throw ApiError.validation(issues);
    const filter: SessionExportFilter = {
      from: new Date(q.from),
      to: new Date(q.to),
      ...(q.username === undefined ? {} : { username: q.username }),
      ...(q.ip === undefined ? {} : { ip: q.ip }),
    };
    const pages = await readExport(ctx.store, filter);
    const name = `sessions-${q.from.replace(/[:.]/g, '')}-${q.to.replace(/[:.]/g, '')}.${q.format}`;
    return {
      status: 200,
      stream: encodeSessionExport(pages, q.format),
      headers: { 'content-type': EXPORT_CONTENT_TYPES[q.format], 'content-disposition': `attachment; filename="${name}"` },
    };
  },
};
