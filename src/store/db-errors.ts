/**
 * Turns constraint violations into StoreErrors naming the input field. Constraints are named explicitly in
 * migrations.ts (`<table>_<column>_key` / `_fkey`), so the field follows from the name; the few that do not
 * follow the pattern are listed. The money range CHECKs of migration 9 become STORE_OUT_OF_RANGE, the same error
 * the repositories raise when they check the bounds themselves.
 */
import { MONEY_RANGE_CONSTRAINTS, outOfRange } from './money.js';
import { StoreError } from '../domain/ports.js';
import type { Sql } from './sql.js';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
// ON DELETE RESTRICT reports restrict_violation rather than foreign_key_violation.
const RESTRICT_VIOLATION = '23001';
const CHECK_VIOLATION = '23514';

const TABLES = [
  'nas',
  'tariffs',
  'accounts',
  'account_states',
  'credits',
  'subscribers',
  'subscriptions',
  'tariff_changes',
  'sessions',
  'charges',
  'payments',
  'adjustments',
  'usage_monthly',
  'operators',
  'operator_tokens',
  'operator_sessions',
] as const;
const CONSTRAINT_NAME = new RegExp(`^(${TABLES.join('|')})_(.+?)_(key|fkey)$`);

const SPECIAL: Readonly<Record<string, string>> = {
  charges_subscription_fee_day_key: 'feeDay',
  account_states_open_key: 'accountId',
  tariff_changes_pending_key: 'tariffId',
};

const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The input field a constraint is about (`subscribers_account_id_fkey` → `accountId`), or undefined. */
export function fieldOfConstraint(constraint: string): string | undefined {
  const special = SPECIAL[constraint];
  if (special !== undefined) return special;
  const match = CONSTRAINT_NAME.exec(constraint);
  return match?.[2] !== undefined ? camel(match[2]) : undefined;
}

/** Maps a unique, foreign-key or money-range violation to a StoreError; returns anything else unchanged. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreError || !(err instanceof Error)) return err;
  const { code, constraint, detail } = err as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (code === CHECK_VIOLATION) {
    const field = typeof constraint === 'string' && Object.hasOwn(MONEY_RANGE_CONSTRAINTS, constraint) ? MONEY_RANGE_CONSTRAINTS[constraint] : undefined;
    if (field === undefined) return err;
    return outOfRange(field, `${field} would be out of range (${String(constraint)})`, err);
  }
  if (code !== UNIQUE_VIOLATION && code !== FOREIGN_KEY_VIOLATION && code !== RESTRICT_VIOLATION) return err;
  const name = typeof constraint === 'string' ? constraint : '';
  const field = fieldOfConstraint(name);
  const what = field ?? name;
  if (code === UNIQUE_VIOLATION) {
    return new StoreError('STORE_CONFLICT', `${what} is already in use`, field, { cause: err });
  }
  const stillReferenced = code === RESTRICT_VIOLATION || (typeof detail === 'string' && detail.includes('still referenced'));
  const message = stillReferenced
    ? `still in use: rows refer to it through ${what}`
    : `${what} refers to a row that does not exist`;
  return new StoreError('STORE_REFERENCE', message, field, { cause: err });
}

/** The same Sql, with constraint violations thrown as StoreErrors. */
export function withStoreErrors(sql: Sql): Sql {
  return {
    kind: sql.kind,
    async query(text, params) {
      try {
        return await sql.query(text, params);
      } catch (err) {
        throw toStoreError(err);
      }
    },
    async copyIn(table, columns, rows) {
      try {
        await sql.copyIn(table, columns, rows);
      } catch (err) {
        throw toStoreError(err);
      }
    },
    async transaction(fn) {
      try {
        return await sql.transaction((tx) => fn(withStoreErrors(tx)));
      } catch (err) {
        throw toStoreError(err);
      }
    },
    close: () => sql.close(),
  };
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a database error, also when a StoreError (or another wrapper) carries it as its cause. */
export function sqlStateOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

/**
 * Whether the database refused the rows rather than being unavailable: SQLSTATE class 22 (data exception) or 23
 * (integrity constraint). Retrying such a write unchanged fails again; the bad row must be isolated.
 */
export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * Whether the database refused a value it was given to compare or store (SQLSTATE class 22, data exception): the
 * value is wrong, not the database's condition.
 */
export function isDataException(err: unknown): boolean {
  return sqlStateOf(err)?.startsWith('22') === true;
}
