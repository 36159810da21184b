/**
 * An account's statement by day, with the running balance: `GET /api/v1/accounts/{id}/statement` (JSON, the
 * `read` permission) and `GET /api/v1/accounts/{id}/statement/export?format=csv|pdf` (a file, the `export`
 * permission: a route names one permission). Days are calendar days of the fee time zone (fees.timeZone); the
 * opening balance is the balance now minus every movement since the first day, read in one statement, so the rows
 * add up to the balance the account has. Credits are listed but do not move the balance (they are not money).
 */
import { addDays, dayInTimeZone } from '../../billing/core/calendar.js';
import type { DailyStatement } from '../../domain/console.js';
import type { ConsoleDeps } from './console-deps.js';
import { ApiError, type FieldIssue } from './errors.js';
import { day, oneOf, type JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { idParam, type ApiContext, type ApiRoute } from './route.js';
import { statementCsv, statementPdf } from './statement-pdf.js';
import { parseQuery } from './validate.js';

/** The longest period one statement covers. */
export const MAX_STATEMENT_DAYS = 366;

const rangeQuery = {
  from: day('First day (inclusive), a day of the fee time zone; default the first of the current month.').optional(),
  to: day('Last day (inclusive); default today. At most 366 days after from.').optional(),
};

const exportQuery = {
  ...rangeQuery,
  format: oneOf(['csv', 'pdf'] as const, 'csv (RFC 4180, a header row, amounts as decimal text in the currency’s minor digits) or pdf (a printable statement).').withDefault('csv'),
};

const money = (description: string): JsonSchema => ({ type: 'integer', description: `${description} Integer minor units.` });
const dayProperties: Record<string, JsonSchema> = {
  openingBalance: money('The balance at the start of the day.'),
  charges: money('Traffic, time and one-off charges (money taken).'),
  fees: money('Daily fees (money taken).'),
  payments: money('Payments received.'),
  adjustments: money('Adjustments, signed.'),
  credits: money('Temporary credit granted: not money, it does not move the balance.'),
  closingBalance: money('openingBalance − charges − fees + payments + adjustments.'),
};

export const STATEMENT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  StatementDay: {
    type: 'object',
    properties: { day: { type: 'string', format: 'date' }, ...dayProperties },
    required: ['day', ...Object.keys(dayProperties)],
  },
  DailyStatement: {
    type: 'object',
    description: 'The days that had a movement or a credit, oldest first, with the running balance.',
    properties: {
      accountId: { type: 'integer', minimum: 1 },
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      timeZone: { type: 'string', description: 'The IANA time zone of the days (fees.timeZone).' },
      currency: { type: 'string', description: 'portal.currency: what the minor units are of.' },
      openingBalance: money('The balance at the start of from.'),
      closingBalance: money('The balance at the end of to.'),
      totals: {
        type: 'object',
        properties: Object.fromEntries(['charges', 'fees', 'payments', 'adjustments', 'credits'].map((k) => [k, dayProperties[k] as JsonSchema])),
        required: ['charges', 'fees', 'payments', 'adjustments', 'credits'],
      },
      days: { type: 'array', items: schemaRef('StatementDay') },
    },
    required: ['accountId', 'from', 'to', 'timeZone', 'currency', 'openingBalance', 'closingBalance', 'totals', 'days'],
  },
};

function period(q: { from?: string; to?: string }, timeZone: string, now: Date): { from: string; to: string } {
  const today = dayInTimeZone(now, timeZone);
  const to = q.to ?? today;
  const from = q.from ?? `${(q.to ?? today).slice(0, 8)}01`;
  const issues: FieldIssue[] = [];
  if (from > to) issues.push({ field: 'from', message: `from (${from}) must not be after to (${to})` });
  else if (addDays(from, MAX_STATEMENT_DAYS - 1) < to) issues.push({ field: 'to', message: `a statement covers at most ${MAX_STATEMENT_DAYS} days (from ${from}, to ${to})` });
  if (issues.length > 0) throw ApiError.validation(issues);
  return { from, to };
}

async function read(ctx: ApiContext, q: { from?: string; to?: string }, deps: ConsoleDeps): Promise<DailyStatement> {
  const accountId = idParam(ctx);
  const timeZone = deps.timeZone ?? 'UTC';
  const range = period(q, timeZone, new Date());
  const statement = await ctx.store.statements.daily(accountId, { ...range, timeZone });
  if (!statement) throw new ApiError('NOT_FOUND', `no account with id ${accountId}`);
  return statement;
}

export function statementRoutes(deps: ConsoleDeps): ApiRoute[] {
  const currency = deps.currency ?? 'USD';
  return [
    {
      method: 'GET',
      permission: 'read',
      pattern: `${API_PREFIX}/accounts/:id/statement`,
      operationId: 'getAccountStatement',
      summary: "The account's statement by day with the running balance (JSON)",
      tag: 'Ledger',
      query: rangeQuery,
      success: { status: 200, description: 'The statement', schema: schemaRef('DailyStatement') },
      errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
      async handle(ctx) {
        const statement = await read(ctx, parseQuery(rangeQuery, ctx.query), deps);
        return { status: 200, body: { ...statement, currency } };
      },
    },
    {
      method: 'GET',
      permission: 'export',
      pattern: `${API_PREFIX}/accounts/:id/statement/export`,
      operationId: 'exportAccountStatement',
      summary: "The account's statement by day as a CSV or PDF file",
      tag: 'Ledger',
      query: exportQuery,
      success: {
        status: 200,
        description: 'The statement as an attachment (Content-Disposition names the file).',
        mediaTypes: {
          'text/csv': { type: 'string', description: 'Header: day,opening_balance,charges,fees,payments,adjustments,credits,closing_balance; one CRLF-terminated row per day; amounts as decimal text (e.g. 150.00).' },
          'application/pdf': { type: 'string', format: 'binary' },
        },
      },
      errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
      async handle(ctx) {
        const q = parseQuery(exportQuery, ctx.query);
        const statement = await read(ctx, q, deps);
        const name = `statement-${statement.accountId}-${statement.from}-${statement.to}.${q.format}`;
        const disposition = `attachment; filename="${name}"`;
        if (q.format === 'pdf') {
          return { status: 200, bytes: await statementPdf(statement, currency, new Date()), headers: { 'content-type': 'application/pdf', 'content-disposition': disposition } };
        }
        return { status: 200, bytes: Buffer.from(statementCsv(statement, currency), 'utf8'), headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition } };
      },
    },
  ];
}
