/**
 * Operators, their API tokens and their browser sessions (docs/console.md, Identities). Logins are unique
 * case-insensitively (a unique index on lower(login)); operators are disabled, never deleted, so the rows that
 * name them (tokens, sessions, the audit log, payments) keep their meaning. Only digests of token secrets,
 * session ids and CSRF tokens are stored. The password hash and the TOTP secrets leave this file only through
 * `credentials`, which the sign-in code alone calls.
 */
import { isPasswordHash } from '../../domain/credentials.js';
import { isRole, type Operator, type OperatorCredentials, type OperatorToken, type Role } from '../../domain/operators.js';
import type { OperatorRepository, OperatorSessionRepository, OperatorTokenRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { assignments } from '../sql-build.js';
import { isoTime } from '../sql-values.js';

interface OperatorRow {
  id: number;
  login: string;
  display_name: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

const COLUMNS = 'id, login, display_name, role, disabled, totp_secret IS NOT NULL AS totp_enabled, created_at, updated_at, last_login_at';
const CREDENTIAL_COLUMNS = `${COLUMNS}, password_hash, totp_secret, totp_pending_secret, totp_last_step`;

/** What a login may be: the table's CHECK, and never a name the audit log uses for who is not an operator. */
export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const RESERVED_LOGINS: ReadonlySet<string> = new Set(['bootstrap', 'anonymous', 'cli']);

function fail(field: string, message: string): never {
  throw new RangeError(`${field}: ${message}`);
}

export function checkLogin(login: string): void {
  if (!LOGIN_PATTERN.test(login)) fail('login', `must be 1–64 letters, digits and . _ @ - (starting with a letter or digit), got ${JSON.stringify(login)}`);
  if (RESERVED_LOGINS.has(login.toLowerCase())) fail('login', `${JSON.stringify(login)} is reserved for the audit log`);
}

function checkDisplayName(name: string): void {
  if (name.length > 200) fail('displayName', 'must be at most 200 characters');
}

function checkRole(role: unknown): void {
  if (!isRole(role)) fail('role', `must be admin, billing, support or readonly, got ${JSON.stringify(role)}`);
}

function checkHash(hash: string): void {
  if (!isPasswordHash(hash)) fail('passwordHash', 'must be a scrypt$N$r$p$salt$hash value (domain/credentials.ts)');
}

const toOperator = (r: OperatorRow & { totp_enabled: boolean }): Operator => ({
  id: r.id,
  login: r.login,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled,
  totpEnabled: r.totp_enabled,
  createdAt: isoTime(r.created_at),
  updatedAt: isoTime(r.updated_at),
  lastLoginAt: r.last_login_at === null ? null : isoTime(r.last_login_at),
});

const toCredentials = (r: OperatorRow & { totp_enabled: boolean }): OperatorCredentials => ({
  ...toOperator(r),
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpPendingSecret: r.totp_pending_secret,
  totpLastStep: r.totp_last_step,
});

type Row = OperatorRow & { totp_enabled: boolean };

export function operatorRepository(sql: Sql): OperatorRepository {
  const one = async (where: string, params: readonly unknown[]): Promise<Operator | undefined> => {
    const [row] = await sql.query<Row>(`SELECT ${COLUMNS} FROM operators WHERE ${where}`, params);
    return row && toOperator(row);
  };
  const changed = async (text: string, params: readonly unknown[]): Promise<boolean> => (await sql.query(`${text} RETURNING id`, params)).length > 0;
  return {
    async list() {
      return (await sql.query<Row>(`SELECT ${COLUMNS} FROM operators ORDER BY id`)).map(toOperator);
    },
    get: (id) => one('id = $1', [id]),
    byLogin: (login) => one('lower(login) = lower($1)', [login]),
    async credentials(by) {
      const [row] = 'login' in by
        ? await sql.query<Row>(`SELECT ${CREDENTIAL_COLUMNS} FROM operators WHERE lower(login) = lower($1)`, [by.login])
        : await sql.query<Row>(`SELECT ${CREDENTIAL_COLUMNS} FROM operators WHERE id = $1`, [by.id]);
      return row && toCredentials(row);
    },
    async create(input) {
      checkLogin(input.login);
      checkDisplayName(input.displayName);
      checkRole(input.role);
      checkHash(input.passwordHash);
      const [row] = await sql.query<Row>(
        `INSERT INTO operators (login, display_name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [input.login, input.displayName, input.role, input.passwordHash],
      );
      return toOperator(row!);
    },
    async update(id, patch) {
      if (patch.displayName !== undefined) checkDisplayName(patch.displayName);
      if (patch.role !== undefined) checkRole(patch.role);
      const params: unknown[] = [id];
      const sets = assignments({ ...patch }, { displayName: 'display_name', role: 'role', disabled: 'disabled' }, params);
      if (sets.length === 0) return one('id = $1', [id]);
      const [row] = await sql.query<Row>(`UPDATE operators SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
      return row && toOperator(row);
    },
    async setPassword(id, passwordHash) {
      checkHash(passwordHash);
      return changed('UPDATE operators SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
    },
    setPendingTotp: (id, secret) => changed('UPDATE operators SET totp_pending_secret = $2 WHERE id = $1', [id, secret]),
    confirmTotp: (id, step) =>
      changed(
        'UPDATE operators SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $2 WHERE id = $1 AND totp_pending_secret IS NOT NULL',
        [id, step],
      ),
    disableTotp: (id) => changed('UPDATE operators SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = $1', [id]),
    useTotpStep: (id, step) =>
      changed('UPDATE operators SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)', [id, step]),
    async recordLogin(id) {
      await sql.query('UPDATE operators SET last_login_at = now() WHERE id = $1', [id]);
    },
    async lockEnabledAdmins() {
      const rows = await sql.query<{ id: number }>("SELECT id FROM operators WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE");
      return rows.map((r) => r.id);
    },
  };
}

interface TokenRow {
  id: number;
  operator_id: number;
  operator_login: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  operator_role: Role;
  operator_disabled: boolean;
}

const TOKEN_COLUMNS = 't.id, t.operator_id, o.login AS operator_login, t.name, t.role, t.created_at, t.expires_at, t.revoked_at, t.last_used_at';
const TOKEN_FROM = 'operator_tokens t JOIN operators o ON o.id = t.operator_id';

const toToken = (r: TokenRow): OperatorToken => ({
  id: r.id,
  operatorId: r.operator_id,
  operatorLogin: r.operator_login,
  name: r.name,
  role: r.role,
  createdAt: isoTime(r.created_at),
  expiresAt: isoTime(r.expires_at),
  revokedAt: r.revoked_at === null ? null : isoTime(r.revoked_at),
  lastUsedAt: r.last_used_at === null ? null : isoTime(r.last_used_at),
});

export function operatorTokenRepository(sql: Sql): OperatorTokenRepository {
  const get = async (id: number): Promise<OperatorToken | undefined> => {
    const [row] = await sql.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM ${TOKEN_FROM} WHERE t.id = $1`, [id]);
    return row && toToken(row);
  };
  return {
    async create(input) {
      checkRole(input.role);
      if (input.name.trim() === '' || input.name.length > 100) fail('name', 'must be 1–100 characters');
      if (!/^[0-9a-f]{64}$/.test(input.secretHash)) fail('secretHash', 'must be a SHA-256 hex digest');
      const [row] = await sql.query<{ id: number }>(
        'INSERT INTO operator_tokens (operator_id, name, role, secret_hash, expires_at) VALUES ($1, $2, $3, $4, $5::timestamptz) RETURNING id',
        [input.operatorId, input.name, input.role, input.secretHash, input.expiresAt],
      );
      return (await get(row!.id))!;
    },
    async list(filter) {
      const rows = filter.operatorId === undefined
        ? await sql.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM ${TOKEN_FROM} ORDER BY t.id DESC`)
        : await sql.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM ${TOKEN_FROM} WHERE t.operator_id = $1 ORDER BY t.id DESC`, [filter.operatorId]);
      return rows.map(toToken);
    },
    get,
    async revoke(id) {
      await sql.query('UPDATE operator_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
      return get(id);
    },
    async forCheck(id) {
      const [row] = await sql.query<TokenRow>(
        `SELECT ${TOKEN_COLUMNS}, t.secret_hash, o.role AS operator_role, o.disabled AS operator_disabled FROM ${TOKEN_FROM} WHERE t.id = $1`,
        [id],
      );
      return row && { ...toToken(row), secretHash: row.secret_hash, operatorRole: row.operator_role, operatorDisabled: row.operator_disabled };
    },
    async touch(id) {
      await sql.query("UPDATE operator_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [id]);
    },
  };
}

export function operatorSessionRepository(sql: Sql): OperatorSessionRepository {
  return {
    async create(input, idleMinutes) {
      await sql.query('DELETE FROM operator_sessions WHERE operator_id = $1 AND (expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $2::int))', [
        input.operatorId,
        idleMinutes,
      ]);
      const [row] = await sql.query<{ expires_at: Date }>(
        `INSERT INTO operator_sessions (id, operator_id, csrf_hash, expires_at, address, user_agent)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4::int), $5, $6) RETURNING expires_at`,
        [input.idHash, input.operatorId, input.csrfHash, input.maxHours, input.address, input.userAgent === null ? null : input.userAgent.slice(0, 500)],
      );
      return { expiresAt: isoTime(row!.expires_at) };
    },
    async resume(idHash, idleMinutes) {
      const [row] = await sql.query<{ operator_id: number; login: string; role: Role; csrf_hash: string; expires_at: Date }>(
        `UPDATE operator_sessions s SET last_seen_at = now() FROM operators o
         WHERE s.id = $1 AND o.id = s.operator_id AND NOT o.disabled
           AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2::int)
         RETURNING s.operator_id, o.login, o.role, s.csrf_hash, s.expires_at`,
        [idHash, idleMinutes],
      );
      return row && { operatorId: row.operator_id, login: row.login, role: row.role, csrfHash: row.csrf_hash, expiresAt: isoTime(row.expires_at) };
    },
    async end(idHash) {
      return (await sql.query('DELETE FROM operator_sessions WHERE id = $1 RETURNING id', [idHash])).length > 0;
    },
    async endAll(operatorId, exceptIdHash) {
      const rows = await sql.query('DELETE FROM operator_sessions WHERE operator_id = $1 AND id IS DISTINCT FROM $2 RETURNING id', [operatorId, exceptIdHash ?? null]);
      return rows.length;
    },
  };
}
