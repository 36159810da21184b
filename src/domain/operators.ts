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
