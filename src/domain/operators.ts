/**
 * Operators (the people who run the ISP), their roles and what each role may do. The roles are fixed sets of
 * permissions; every API route names the one permission it needs (src/http/api/route.ts), and the API checks it
 * for every request, whoever sends it (a browser session of the console, an operator's API token, the bootstrap
 * admin token). Nothing is checked only in the browser. docs/console.md has the table in words.
 */

export const ROLES = ['admin', 'billing', 'support', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Everything that is read: subscribers, accounts, tariffs, NAS, sessions, auth log, CoA, statements, dashboard. */
  'read',
  /** Exports of sessions and statements (files that leave the system). */
  'export',
  /** Subscribers: create, change (password reset, MAC, Simultaneous-Use), delete. */
  'subscribers:write',
  /** Accounts: create, change, delete. */
  'accounts:write',
  /** Payments and balance adjustments (money in and corrections). */
  'payments:write',
  /** Temporary credits, the promised payment among them. */
  'credits:write',
  /** Disconnect-Requests to a session's NAS. */
  'sessions:disconnect',
  /** Live packet traces of a subscriber or a NAS. */
  'trace',
  /** NAS clients, tariffs and vendor profiles. */
  'network:write',
  /** Held accounting records: approve or discard (they carry money). */
  'accounting:decide',
  /** Operators and their roles, every operator's API tokens. */
  'operators:manage',
  /** The audit log. */
  'audit:read',
  /** One's own API tokens, password and second factor. */
  'self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

/** What each role may do. `admin` may do everything; the others are the jobs of docs/console.md. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(ALL),
  billing: new Set<Permission>(['read', 'export', 'accounts:write', 'payments:write', 'credits:write', 'accounting:decide', 'self']),
  support: new Set<Permission>(['read', 'subscribers:write', 'credits:write', 'sessions:disconnect', 'trace', 'self']),
  readonly: new Set<Permission>(['read', 'self']),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** True when `lesser` may do nothing `greater` may not (an API token's role must be at most its owner's). */
export function roleAtMost(lesser: Role, greater: Role): boolean {
  const allowed = ROLE_PERMISSIONS[greater];
  for (const p of ROLE_PERMISSIONS[lesser]) if (!allowed.has(p)) return false;
  return true;
}

/**
 * Who makes a request, as the API and the audit log see it. `operatorId` is null for the bootstrap admin token
 * (`admin.token` of the configuration), whose login is `bootstrap`, and for the anonymous caller of a public
 * route (`anonymous`, role `readonly`).
 */
export interface Actor {
  readonly kind: 'anonymous' | 'bootstrap' | 'session' | 'token';
  readonly operatorId: number | null;
  readonly login: string;
  readonly role: Role;
  /** The client address of the request (the peer, or X-Forwarded-For from a trusted proxy). */
  readonly address: string;
  /** The API token's id when kind is `token`. */
  readonly tokenId?: number;
}

export const BOOTSTRAP_LOGIN = 'bootstrap';

/** An operator as the API shows it: never the password hash or the TOTP secret. */
export interface Operator {
  readonly id: number;
  readonly login: string;
  readonly displayName: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly totpEnabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastLoginAt: string | null;
}

/** An operator with what signing in checks (only the API's auth code and the CLI read this). */
export interface OperatorCredentials extends Operator {
  readonly passwordHash: string;
  /** Base32; null without a second factor. */
  readonly totpSecret: string | null;
  /** A secret being enrolled (POST /auth/totp), not yet confirmed with a code. */
  readonly totpPendingSecret: string | null;
  /** The last TOTP step used: a code of that step or an earlier one is refused. */
  readonly totpLastStep: number | null;
}

/** An operator's API token, without its secret (only its SHA-256 is stored). */
export interface OperatorToken {
  readonly id: number;
  readonly operatorId: number;
  readonly operatorLogin: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** How a request (or a CLI command) was authenticated, as the audit log records it. */
export type AuditVia = 'bootstrap' | 'session' | 'token' | 'anonymous' | 'cli';

/** One row of the audit log; `before` and `after` are API views with secrets replaced by "[redacted]". */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly operatorId: number | null;
  readonly login: string;
  readonly via: AuditVia;
  readonly address: string;
  readonly action: string;
  readonly target: string | null;
  readonly before: unknown;
  readonly after: unknown;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'before' | 'after'> & { readonly before?: unknown; readonly after?: unknown };

/** The audit entry's who/where/how of an actor. */
export function auditActor(actor: Actor): Pick<AuditInput, 'operatorId' | 'login' | 'via' | 'address'> {
  return { operatorId: actor.operatorId, login: actor.login, via: actor.kind, address: actor.address };
}

/** What the audit log keeps of a secret. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets wherever they appear in a row written to the audit log: subscriber passwords
 * and NT hashes, NAS and RadSec secrets, operators' password hashes and TOTP secrets, tokens.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'ntHash',
  'secret',
  'radsecSecret',
  'passwordHash',
  'totpSecret',
  'totpPendingSecret',
  'token',
  'currentPassword',
  'newPassword',
  'csrfToken',
]);

/** A copy of `value` with every SECRET_KEYS value (at any depth) replaced by "[redacted]"; null stays null. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = SECRET_KEYS.has(k) && v !== null ? REDACTED : redactSecrets(v);
  }
  return out;
}
