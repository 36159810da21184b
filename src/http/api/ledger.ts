/**
 * The ledger routes: payments (idempotent on `externalId`), adjustments, temporary credits and an account's
 * statements (charges, payments, adjustments, credits), newest first. Each write moves the balance and
 * re-derives the account's state in the store's transaction — with its audit row and the operator in the row
 * (shown in statements as operatorId and operatorLogin) — then publishes an `account` change so every
 * instance's snapshot sees the new balance and state.
 */
import { StoreError, type Store } from '../../domain/ports.js';
import { ApiError, type FieldIssue } from './errors.js';
import { integer, positiveMoney, ref, signedMoney, text, timestamp, trimmed, type JsonSchema } from './fields.js';
import { API_PREFIX, pageQuery, schemaRef, WRITE_ERRORS } from './crud.js';
import { idParam, type ApiContext, type ApiRoute } from './route.js';
import { parseBody, parseQuery, type Shape } from './validate.js';

const DAY_MS = 86_400_000;
export const MAX_CREDIT_DAYS = 365;

export const paymentFields = {
  accountId: ref('The account credited.'),
  amount: positiveMoney('Money received.'),
  externalId: trimmed(
    text({
      description: "The payment system's transaction id (or one the operator makes up, e.g. manual:<uuid>). A payment is applied once per externalId: a redelivery answers 200 with the existing payment.",
      maxLength: 255,
      example: 'psp:7f3a9c',
    }),
  ),
  comment: text({ description: 'Free text, or null.', maxLength: 1000 }).orNull().optional(),
};

export const adjustmentFields = {
  accountId: ref('The account corrected.'),
  amount: signedMoney('Added to the balance: negative debits, positive refunds or bonuses.'),
  reason: text({ description: 'Why (shown to the subscriber and auditors).', maxLength: 1000, example: 'refund: outage 2025-01-31' }),
};

export const creditFields = {
  amount: positiveMoney('Temporary credit: added to the allowance until it expires.'),
  days: integer({ description: `Lifetime in days from now (1–${MAX_CREDIT_DAYS}); give this or expiresAt.`, minimum: 1, maximum: MAX_CREDIT_DAYS }).optional(),
  expiresAt: timestamp(`When the credit stops counting: in the future, at most ${MAX_CREDIT_DAYS} days ahead; give this or days.`).optional(),
  reason: text({ description: 'Why (e.g. "promised payment").', maxLength: 1000, example: 'promised payment' }),
};

const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const id: JsonSchema = { type: 'integer', minimum: 1 };
/** A stored amount: within ±10^15 when written now; a legacy row beyond ±(2^53 − 1) reads as ±9007199254740991. */
const LEGACY_CLAMP = 'A legacy value beyond ±9007199254740991 (2^53 − 1) is returned clamped to it.';
const amount = (schema: JsonSchema): JsonSchema => ({ type: 'integer', ...schema, description: `${schema.description ?? ''} ${LEGACY_CLAMP}`.trim() });

function entity(description: string, properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', description, properties, required: Object.keys(properties) };
}

/** The request body schema of a shape, as resourceSchemas builds `<Name>Create`. */
function bodySchema(shape: Shape, description?: string): JsonSchema {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, f.jsonSchema()])),
    required: Object.entries(shape)
      .filter(([, f]) => f.presence === 'required')
      .map(([k]) => k),
  };
}

function pageSchema(name: string): JsonSchema {
  return {
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: schemaRef(name) },
      total: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1 },
      offset: { type: 'integer', minimum: 0 },
    },
  };
}

/** The component schemas of the ledger routes (merged into the OpenAPI document). */
export const LEDGER_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Payment: entity('Money received. Integer minor units.', {
    id,
    accountId: id,
    amount: amount({ minimum: 1 }),
    externalId: { type: 'string', description: 'As given, without leading or trailing whitespace.' },
    comment: { type: ['string', 'null'] },
    createdAt: time('When it was applied (UTC).'),
    operatorId: { type: ['integer', 'null'], description: 'The operator who made it (null: the bootstrap admin, the CLI, the portal, or before operators existed).' },
    operatorLogin: { type: ['string', 'null'], description: "That operator's login." },
  }),
  PaymentCreate: bodySchema(paymentFields),
  Adjustment: entity('A manual correction of a balance. Integer minor units, signed.', {
    id,
    accountId: id,
    amount: amount({ description: 'Signed, never 0.' }),
    reason: { type: 'string' },
    createdAt: time('When it was applied (UTC).'),
    operatorId: { type: ['integer', 'null'], description: 'The operator who made it (null: the bootstrap admin, the CLI, the portal, or before operators existed).' },
    operatorLogin: { type: ['string', 'null'], description: "That operator's login." },
  }),
  AdjustmentCreate: bodySchema(adjustmentFields),
  Credit: entity('Temporary credit: counts toward the allowance while unexpired. Not money: the balance does not change.', {
    id,
    accountId: id,
    amount: amount({ minimum: 1 }),
    expiresAt: time('When it stops counting (UTC).'),
    reason: { type: 'string' },
    createdAt: time('When it was granted (UTC).'),
    active: { type: 'boolean', description: 'Unexpired when read.' },
    operatorId: { type: ['integer', 'null'], description: 'The operator who made it (null: the bootstrap admin, the CLI, the portal, or before operators existed).' },
    operatorLogin: { type: ['string', 'null'], description: "That operator's login." },
  }),
  CreditCreate: bodySchema(creditFields, 'Give exactly one of days and expiresAt.'),
  Charge: entity('Money taken (traffic, time, daily fee, one-off). Integer minor units.', {
    id,
    accountId: id,
    kind: { type: 'string', enum: ['traffic', 'time', 'fee', 'one_off'] },
    amount: amount({ minimum: 0 }),
    sessionId: { type: ['integer', 'null'], description: 'The rated session (traffic, time).' },
    subscriptionId: { type: ['integer', 'null'], description: 'The charged subscription (fee).' },
    feeDay: { type: ['string', 'null'], format: 'date', description: 'The charged UTC day (fee).' },
    comment: { type: ['string', 'null'] },
    createdAt: time('When it was charged (UTC).'),
  }),
  PaymentPage: pageSchema('Payment'),
  AdjustmentPage: pageSchema('Adjustment'),
  CreditPage: pageSchema('Credit'),
  ChargePage: pageSchema('Charge'),
};

const ACCOUNT_ITEM = `${API_PREFIX}/accounts/:id`;
const noAccount = (accountId: number) => new ApiError('NOT_FOUND', `no account with id ${accountId}`);

/** The store's "no such account" for an account named by the path is a 404, not a 422. */
function pathAccountMissing(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'STORE_REFERENCE' && err.field === 'accountId';
}

async function requireAccount(store: Store, accountId: number): Promise<void> {
  if (!(await store.accounts.get(accountId))) throw noAccount(accountId);
}

function creditExpiry(input: { days?: number; expiresAt?: string }, now: number): string {
  const issues: FieldIssue[] = [];
  if (input.days === undefined && input.expiresAt === undefined) {
    issues.push({ field: 'days', message: 'give days or expiresAt: how long the credit lasts' });
  } else if (input.days !== undefined && input.expiresAt !== undefined) {
    issues.push({ field: 'expiresAt', message: 'expiresAt cannot be given together with days: give one of them' });
  } else if (input.expiresAt !== undefined) {
    const at = Date.parse(input.expiresAt);
    if (at <= now) issues.push({ field: 'expiresAt', message: `expiresAt must be in the future, got ${input.expiresAt}` });
    else if (at > now + MAX_CREDIT_DAYS * DAY_MS) issues.push({ field: 'expiresAt', message: `expiresAt must be at most ${MAX_CREDIT_DAYS} days ahead, got ${input.expiresAt}` });
  }
  if (issues.length > 0) throw ApiError.validation(issues);
  return input.expiresAt ?? new Date(now + (input.days ?? 0) * DAY_MS).toISOString();
}

/** `GET /accounts/:id/<what>`: a page of the account's rows, newest first; 404 for an unknown account. */
function statementRoute(what: 'charges' | 'payments' | 'adjustments', schema: string): ApiRoute {
  const name = `${what[0]!.toUpperCase()}${what.slice(1)}`;
  return {
    method: 'GET',
    permission: 'read',
    pattern: `${ACCOUNT_ITEM}/${what}`,
    operationId: `listAccount${name}`,
    summary: `The account's ${what}, newest first`,
    tag: 'Ledger',
    query: pageQuery,
    success: { status: 200, description: `A page of ${what}, newest first`, schema: schemaRef(`${schema}Page`) },
    errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
    async handle(ctx: ApiContext) {
      const accountId = idParam(ctx);
      const page = parseQuery(pageQuery, ctx.query);
      await requireAccount(ctx.store, accountId);
      const result = await ctx.store.ledger[what](accountId, page);
      return { status: 200, body: { items: result.items, total: result.total, limit: page.limit, offset: page.offset } };
    },
  };
}

export const ledgerRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    permission: 'payments:write',
    pattern: `${API_PREFIX}/payments`,
    operationId: 'createPayment',
    summary: 'Take a payment (idempotent on externalId)',
    tag: 'Ledger',
    requestBody: 'PaymentCreate',
    body: { shape: paymentFields, mode: 'create' },
    success: { status: 201, description: 'The payment, applied to the balance now', schema: schemaRef('Payment'), location: false },
    alternative: { status: 200, description: 'A redelivery: the payment with this externalId, applied before; nothing changed', schema: schemaRef('Payment') },
    errors: [...WRITE_ERRORS, 'AMOUNT_OUT_OF_RANGE'],
    async handle(ctx) {
      const input = parseBody(paymentFields, await ctx.readBody(), 'create');
      const { payment, created } = await ctx.audited('payment.create', null, async (tx) => {
        const r = await tx.ledger.pay({ ...input, operatorId: ctx.actor.operatorId });
        // A redelivery changed nothing: no audit row.
        return { result: r, target: `payment:${r.payment.id}`, after: r.payment, skip: !r.created };
      });
      if (!created) return { status: 200, body: payment };
      await ctx.publish({ kind: 'account', id: payment.accountId });
      return { status: 201, body: payment };
    },
  },
  {
    method: 'POST',
    permission: 'payments:write',
    pattern: `${API_PREFIX}/adjustments`,
    operationId: 'createAdjustment',
    summary: 'Correct a balance by a signed amount',
    tag: 'Ledger',
    requestBody: 'AdjustmentCreate',
    body: { shape: adjustmentFields, mode: 'create' },
    success: { status: 201, description: 'The adjustment, applied to the balance', schema: schemaRef('Adjustment'), location: false },
    errors: [...WRITE_ERRORS.filter((c) => c !== 'CONFLICT'), 'AMOUNT_OUT_OF_RANGE'],
    async handle(ctx) {
      const input = parseBody(adjustmentFields, await ctx.readBody(), 'create');
      const adjustment = await ctx.audited('adjustment.create', null, async (tx) => {
        const row = await tx.ledger.adjust({ ...input, operatorId: ctx.actor.operatorId });
        return { result: row, target: `adjustment:${row.id}`, after: row };
      });
      await ctx.publish({ kind: 'account', id: adjustment.accountId });
      return { status: 201, body: adjustment };
    },
  },
  {
    method: 'POST',
    permission: 'credits:write',
    pattern: `${ACCOUNT_ITEM}/credits`,
    operationId: 'grantAccountCredit',
    summary: 'Grant temporary credit (e.g. a promised payment)',
    tag: 'Ledger',
    requestBody: 'CreditCreate',
    body: { shape: creditFields, mode: 'create', description: 'Give exactly one of days and expiresAt.' },
    success: { status: 201, description: "The credit; the account's state is re-derived", schema: schemaRef('Credit'), location: false },
    errors: ['NOT_FOUND', 'VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE', 'AMOUNT_OUT_OF_RANGE'],
    async handle(ctx) {
      const accountId = idParam(ctx);
      const input = parseBody(creditFields, await ctx.readBody(), 'create');
      const expiresAt = creditExpiry(input, Date.now());
      try {
        const credit = await ctx.audited('credit.create', null, async (tx) => {
          const row = await tx.ledger.grantCredit({ accountId, amount: input.amount, expiresAt, reason: input.reason, operatorId: ctx.actor.operatorId });
          return { result: row, target: `credit:${row.id}`, after: row };
        });
        await ctx.publish({ kind: 'account', id: accountId });
        return { status: 201, body: credit };
      } catch (err) {
        if (pathAccountMissing(err)) throw noAccount(accountId);
        // The database clock passed expiresAt between the check above and the insert.
        if (err instanceof RangeError && err.message.startsWith('expiresAt')) throw ApiError.validation([{ field: 'expiresAt', message: err.message }]);
        throw err;
      }
    },
  },
  {
    method: 'GET',
    permission: 'read',
    pattern: `${ACCOUNT_ITEM}/credits`,
    operationId: 'listAccountCredits',
    summary: "The account's temporary credits (expired ones too), newest first",
    tag: 'Ledger',
    query: pageQuery,
    success: { status: 200, description: 'A page of credits, newest first', schema: schemaRef('CreditPage') },
    errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
    async handle(ctx) {
      const accountId = idParam(ctx);
      const { limit, offset } = parseQuery(pageQuery, ctx.query);
      await requireAccount(ctx.store, accountId);
      // Few per account by nature: paged here.
      const all = await ctx.store.ledger.listCredits(accountId);
      return { status: 200, body: { items: all.slice(offset, offset + limit), total: all.length, limit, offset } };
    },
  },
  statementRoute('charges', 'Charge'),
  statementRoute('payments', 'Payment'),
  statementRoute('adjustments', 'Adjustment'),
];
