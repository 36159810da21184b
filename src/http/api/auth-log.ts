/**
 * `GET /api/v1/auth-log`: recent authentication results, newest first, paged by (time, id): `before` and
 * `beforeId` = `nextBefore` and `nextBeforeId` of the previous page. At tens of decisions per millisecond many
 * entries share one `at`; the id carries a page boundary through them. `before` alone (entries strictly older than
 * that time) still works, and skips the rest of the boundary's millisecond.
 */
import type { JsonSchema } from './fields.js';
import { integer, text, timestamp } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { ApiError } from './errors.js';
import type { ApiRoute } from './route.js';
import { parseQuery } from './validate.js';

export const authLogQuery = {
  username: text({ description: 'Only entries for this exact username.', maxLength: 253 }).optional(),
  limit: integer({ description: 'Most entries to return.', minimum: 1, maximum: 1000 }).withDefault(50),
  before: timestamp('Only entries older than this (the nextBefore of the previous page); alone, strictly older.').optional(),
  beforeId: integer({ description: 'With before: only entries after (before, beforeId) newest first (the nextBeforeId of the previous page).', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }).optional(),
};

export const authLogEntrySchema: JsonSchema = {
  type: 'object',
  description: 'One authentication result. Passwords are never logged.',
  properties: {
    id: { type: 'integer', description: 'The entry id: the order of entries with the same at.' },
    at: { type: 'string', format: 'date-time' },
    username: { type: 'string' },
    nas: { type: 'string', description: 'NAS name.' },
    result: { type: 'string', enum: ['accept', 'redirect', 'reject'] },
    reason: { type: ['string', 'null'], description: 'unknown_user, bad_password, disabled, blocked, suspended, …; null on accept.' },
    method: { type: 'string', description: 'pap, chap, mschapv2, …' },
    callingStationId: { type: ['string', 'null'] },
    nasPort: { type: ['string', 'null'] },
  },
  required: ['id', 'at', 'username', 'nas', 'result', 'reason', 'method', 'callingStationId', 'nasPort'],
};

export const authLogPageSchema: JsonSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: schemaRef('AuthLogEntry') },
    limit: { type: 'integer' },
    nextBefore: { type: ['string', 'null'], format: 'date-time', description: 'Pass as `before` (with nextBeforeId as `beforeId`) for the next page; null when this page is the last.' },
    nextBeforeId: { type: ['integer', 'null'], description: 'Pass as `beforeId` with `before` for the next page; null when this page is the last.' },
  },
  required: ['items', 'limit', 'nextBefore', 'nextBeforeId'],
};

export const authLogRoute: ApiRoute = {
  method: 'GET',
  permission: 'read',
  pattern: `${API_PREFIX}/auth-log`,
  operationId: 'listAuthLog',
  summary: 'Recent authentication results, newest first',
  tag: 'AuthLog',
  query: authLogQuery,
  success: { status: 200, description: 'Entries, newest first', schema: schemaRef('AuthLogPage') },
  errors: ['VALIDATION_FAILED'],
  async handle(ctx) {
    const q = parseQuery(authLogQuery, ctx.query);
    if (q.beforeId !== undefined && q.before === undefined) throw new ApiError('VALIDATION_FAILED', 'beforeId needs before (the nextBefore of the same page)', { field: 'beforeId' });
    const items = await ctx.store.authLog.query(q);
    const last = items.length === q.limit ? items[items.length - 1] : undefined;
    return { status: 200, body: { items, limit: q.limit, nextBefore: last?.at ?? null, nextBeforeId: last?.id ?? null } };
  },
};
