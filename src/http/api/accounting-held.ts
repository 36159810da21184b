/**
 * The held-for-review routes (docs/accounting.md rule 7): list the accounting increments the rater held instead
 * of charging, look at one, and approve it (journaled again, marked approved, so the rater applies it to its
 * session) or discard it. A decision is recorded with the operator's name and that the admin token made it;
 * deciding a record that is no longer held is a 409. Each answer refreshes the pending gauge.
 */
import { accountingHeldPending } from '../../observability/metrics.js';
import { HELD_STATES, type HeldDecision, type Store } from '../../domain/ports.js';
import { ApiError } from './errors.js';
import { integer, oneOf, ref, text, type JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { idParam, type ApiContext, type ApiRoute } from './route.js';
import { parseBody, parseQuery, type Shape } from './validate.js';

const HELD = `${API_PREFIX}/accounting/held`;

export const heldQuery = {
  state: oneOf(HELD_STATES, 'Only records in this state (held: waiting for a decision).').optional(),
  limit: integer({ description: 'Most records to return.', minimum: 1, maximum: 1000 }).withDefault(50),
  after: ref('Only records with a larger id: the nextAfter of the previous page.').optional(),
};

export const heldDecisionFields = {
  by: text({ description: 'Who decides (an operator name); recorded as "<by> (api token)".', maxLength: 100, example: 'alice' }),
  note: text({ description: 'Why, for the audit trail.', maxLength: 1000, example: 'NAS counter bug confirmed by the vendor' }).orNull().optional(),
};

/** How decided_by records that the decision came through the admin API (docs/api.md). */
export const decidedBy = (by: string): string => `${by} (api token)`;

const decimal = (description: string): JsonSchema => ({ type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description });
const nullable = (type: string, description: string): JsonSchema => ({ type: [type, 'null'], description });
const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });

function bodySchema(shape: Shape): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, f.jsonSchema()])),
    required: Object.entries(shape)
      .filter(([, f]) => f.presence === 'required')
      .map(([k]) => k),
  };
}

const recordProperties: Record<string, JsonSchema> = {
  status: { type: 'string', enum: ['start', 'stop', 'interim-update', 'accounting-on', 'accounting-off', 'other'] },
  statusType: { type: 'integer', description: 'Acct-Status-Type as sent.' },
  acctSessionId: { type: 'string' },
  username: { type: 'string' },
  framedIp: nullable('string', 'Framed-IP-Address.'),
  callingStationId: nullable('string', 'Calling-Station-Id.'),
  nasPort: nullable('string', 'NAS-Port-Id, or NAS-Port as text.'),
  sessionTime: { type: ['string', 'null'], pattern: '^\\d+$', description: 'Acct-Session-Time, seconds (decimal string).' },
  inputOctets: { type: ['string', 'null'], pattern: '^\\d+$', description: 'Acct-Input-Octets with Gigawords, bytes (decimal string).' },
  outputOctets: { type: ['string', 'null'], pattern: '^\\d+$', description: 'Acct-Output-Octets with Gigawords, bytes (decimal string).' },
  eventTime: time('Event-Timestamp, else receive time minus Acct-Delay-Time.'),
  receivedAt: time('When Tollgate received it.'),
  delayTime: { type: 'integer', minimum: 0, description: 'Acct-Delay-Time, seconds.' },
  terminateCause: nullable('string', 'Acct-Terminate-Cause.'),
  answered: { type: ['string', 'null'], enum: ['restricted', 'normal', null], description: 'The service the Access-Accept gave, as echoed in Class.' },
};

const heldProperties: Record<string, JsonSchema> = {
  id: { type: 'integer', minimum: 1 },
  heldAt: time('When the rater held it.'),
  sessionId: nullable('integer', 'The session it was held for; null when that session was deleted.'),
  accountId: nullable('integer', "The session's account, if known."),
  nas: { type: 'string', description: 'NAS name.' },
  acctSessionId: { type: 'string' },
  username: { type: 'string' },
  reason: { type: 'string', enum: ['octet_rate', 'session_time'], description: 'octet_rate: more octets than maxRateBitsPerSecond could carry since the previous record; session_time: more session time than has passed.' },
  octets: decimal('Octets the record claimed over the session (a decimal string: it can exceed 2^64).'),
  seconds: decimal('Session seconds the record claimed over the session (decimal string).'),
  elapsedSeconds: decimal('Receive time since the previous record of the session, seconds (decimal string).'),
  record: { type: ['object', 'null'], description: 'The record as journaled; null when it does not decode (then it can only be discarded).', properties: recordProperties, required: Object.keys(recordProperties) },
  state: { type: 'string', enum: HELD_STATES },
  decidedAt: { type: ['string', 'null'], format: 'date-time', description: 'When it was approved or discarded; null while held.' },
  decidedBy: nullable('string', 'Who decided, e.g. "alice (api token)".'),
  note: nullable('string', 'The note given with the decision.'),
};

/** The component schemas of the held-for-review routes (merged into the OpenAPI document). */
export const ACCOUNTING_HELD_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  HeldAccounting: {
    type: 'object',
    description: 'An accounting record held for review instead of charged (docs/accounting.md rule 7).',
    properties: heldProperties,
    required: Object.keys(heldProperties),
  },
  HeldAccountingPage: {
    type: 'object',
    required: ['items', 'limit', 'nextAfter'],
    properties: {
      items: { type: 'array', items: schemaRef('HeldAccounting') },
      limit: { type: 'integer', minimum: 1 },
      nextAfter: { type: ['integer', 'null'], description: 'Pass as `after` for the next page; null when this page is the last.' },
    },
  },
  HeldDecision: bodySchema(heldDecisionFields),
};

/** Sets tollgate_accounting_held_pending from the database; returns the count (for a timer of the daemon, too). */
export async function refreshHeldPending(store: Pick<Store, 'accountingHeld'>): Promise<number> {
  const pending = await store.accountingHeld.countPending();
  accountingHeldPending.set(pending);
  return pending;
}

/** After a committed decision the gauge is a nicety: a failure to count must not turn the answer into an error. */
async function refreshQuietly(store: Store): Promise<void> {
  try {
    await refreshHeldPending(store);
  } catch {
    // The next list or decision (or the daemon's timer) sets it again.
  }
}

function decisionRoute(action: 'approve' | 'discard'): ApiRoute {
  const approve = action === 'approve';
  return {
    method: 'POST',
    permission: 'accounting:decide',
    pattern: `${HELD}/:id/${action}`,
    operationId: approve ? 'approveHeldAccounting' : 'discardHeldAccounting',
    summary: approve
      ? 'Approve a held record: it is journaled again, marked approved, and the rater applies it to its session'
      : 'Discard a held record: it is closed without effect',
    tag: 'Accounting',
    requestBody: 'HeldDecision',
    body: { shape: heldDecisionFields, mode: 'create' },
    success: { status: 200, description: `The record, now ${approve ? 'approved' : 'discarded'}`, schema: schemaRef('HeldAccounting') },
    errors: ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'],
    async handle(ctx: ApiContext) {
      const id = idParam(ctx);
      const body = parseBody(heldDecisionFields, await ctx.readBody(), 'create');
      const decision: HeldDecision = { by: decidedBy(body.by), note: body.note ?? null };
      const held = await ctx.audited(`accounting_held.${action}`, `accounting_held:${id}`, async (tx) => {
        const row = approve ? await tx.accountingHeld.approve(id, decision) : await tx.accountingHeld.discard(id, decision);
        return { result: row, after: row };
      });
      await refreshQuietly(ctx.store);
      return { status: 200, body: held };
    },
  };
}

export const accountingHeldRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    permission: 'read',
    pattern: HELD,
    operationId: 'listHeldAccounting',
    summary: 'Accounting records held for review, oldest first (keyset pages by id)',
    tag: 'Accounting',
    query: heldQuery,
    success: { status: 200, description: 'A page of held records, oldest first', schema: schemaRef('HeldAccountingPage') },
    errors: ['VALIDATION_FAILED'],
    async handle(ctx) {
      const q = parseQuery(heldQuery, ctx.query);
      const items = await ctx.store.accountingHeld.list({
        limit: q.limit,
        ...(q.state === undefined ? {} : { state: q.state }),
        ...(q.after === undefined ? {} : { after: q.after }),
      });
      await refreshQuietly(ctx.store);
      const last = items.length === q.limit ? items[items.length - 1] : undefined;
      return { status: 200, body: { items, limit: q.limit, nextAfter: last?.id ?? null } };
    },
  },
  {
    method: 'GET',
    permission: 'read',
    pattern: `${HELD}/:id`,
    operationId: 'getHeldAccounting',
    summary: 'One held accounting record',
    tag: 'Accounting',
    success: { status: 200, description: 'The record', schema: schemaRef('HeldAccounting') },
    errors: ['NOT_FOUND'],
    async handle(ctx) {
      const id = idParam(ctx);
      const held = await ctx.store.accountingHeld.get(id);
      if (!held) throw new ApiError('NOT_FOUND', `no held accounting record with id ${id}`);
      return { status: 200, body: held };
    },
  },
  decisionRoute('approve'),
  decisionRoute('discard'),
];
