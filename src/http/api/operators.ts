/**
 * Operators (operators:manage), API tokens (self: one's own; operators:manage: anyone's) and the audit log
 * (audit:read), docs/console.md. Operators are disabled, never deleted; disabling one ends its sessions and its
 * tokens stop working. At least one enabled admin always remains (409 otherwise), checked with the admins' rows
 * locked so two changes at once cannot both pass. A token's role is at most its maker's role in force; its text
 * (`tg_<id>_<secret>`) is answered once and only its SHA-256 is stored. Every write is audited in its transaction.
 */
import { formatApiToken, hashPassword, randomSecret, sha256Hex } from '../../domain/credentials.js';
import { roleAllows, roleAtMost, ROLES, type Actor, type Operator, type Role } from '../../domain/operators.js';
import type { Store } from '../../domain/ports.js';
import { newPasswordField, operatorView, requireOperatorId } from './auth-routes.js';
import { API_PREFIX, PATCH_DESCRIPTION, schemaRef } from './crud.js';
import { ApiError } from './errors.js';
import { boolean, integer, oneOf, ref, text, timestamp, type JsonSchema } from './fields.js';
import { idParam, type ApiContext, type ApiRoute } from './route.js';
import { parseBody, parseQuery } from './validate.js';

const OPERATORS = `${API_PREFIX}/operators`;
const TOKENS = `${API_PREFIX}/tokens`;
const BODY_ERRORS = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'] as const;
export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 86_400_000;

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const RESERVED = new Set(['bootstrap', 'anonymous', 'cli']);

const operatorCreateFields = {
  login: text({ description: 'Unique, case-insensitive: 1–64 letters, digits and . _ @ - (starting with a letter or digit).', maxLength: 64, example: 'alice' }),
  displayName: text({ description: 'The name shown in the console and the audit log.', minLength: 0, maxLength: 200, example: 'Alice Smith' }).optional(),
  role: oneOf(ROLES, 'The role: admin, billing, support or readonly (docs/console.md).'),
  password: newPasswordField('The first password (the operator can change it).'),
};

const operatorPatchFields = {
  displayName: text({ description: 'The name shown in the console and the audit log.', minLength: 0, maxLength: 200 }),
  role: oneOf(ROLES, 'The role.'),
  disabled: boolean('True: the operator cannot sign in; its sessions end and its tokens stop working.'),
};

const passwordResetFields = { password: newPasswordField('The new password.') };

const tokenCreateFields = {
  name: text({ description: 'What the token is for (shown in lists).', maxLength: 100, example: 'billing export script' }),
  role: oneOf(ROLES, "The token's role: at most the maker's (default: the maker's role).").optional(),
  expiresInDays: integer({ description: `Lifetime in days (1–${MAX_TOKEN_DAYS}).`, minimum: 1, maximum: MAX_TOKEN_DAYS }),
};

const tokenQuery = { operator: ref("An operator's id: that operator's tokens (someone else's need operators:manage).").optional() };

const auditQuery = {
  operator: ref('Only entries made by this operator (id).').optional(),
  target: text({ description: 'Only entries about this target, e.g. subscriber:42.', maxLength: 200 }).optional(),
  action: text({ description: 'Only entries of this action, e.g. subscriber.update.', maxLength: 100 }).optional(),
  from: timestamp('Entries at or after this instant.').optional(),
  to: timestamp('Entries before this instant.').optional(),
  limit: integer({ description: 'Page size.', minimum: 1, maximum: 1000 }).withDefault(100),
  before: ref('An entry id (nextBefore of the previous page): only older entries.').optional(),
};

const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });

const TOKEN_SCHEMA: JsonSchema = {
  type: 'object',
  description: "An operator's API token, without its secret.",
  required: ['id', 'operatorId', 'operatorLogin', 'name', 'role', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt'],
  properties: {
    id: { type: 'integer', minimum: 1 },
    operatorId: { type: 'integer', minimum: 1 },
    operatorLogin: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    createdAt: time('When it was made (UTC).'),
    expiresAt: time('When it stops working (UTC).'),
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'The last use, to the minute.' },
  },
};

export const OPERATOR_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  OperatorList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: schemaRef('Operator') } } },
  OperatorToken: TOKEN_SCHEMA,
  OperatorTokenCreated: {
    ...TOKEN_SCHEMA,
    description: 'The new token with its text, shown this once.',
    required: [...(TOKEN_SCHEMA.required ?? []), 'token'],
    properties: { ...TOKEN_SCHEMA.properties, token: { type: 'string', description: 'tg_<id>_<secret>: send as Authorization: Bearer. Shown this once.' } },
  },
  OperatorTokenList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: schemaRef('OperatorToken') } } },
  AuditEntry: {
    type: 'object',
    required: ['id', 'at', 'operatorId', 'login', 'via', 'address', 'action', 'target', 'before', 'after'],
    properties: {
      id: { type: 'integer', minimum: 1 },
      at: time('When (UTC).'),
      operatorId: { type: ['integer', 'null'], description: 'Null for the bootstrap admin, the CLI and anonymous callers.' },
      login: { type: 'string' },
      via: { type: 'string', enum: ['bootstrap', 'session', 'token', 'anonymous', 'cli'] },
      address: { type: 'string', description: 'The client address (empty for the CLI).' },
      action: { type: 'string', description: 'e.g. subscriber.update, payment.create, auth.login, auth.login_failed, auth.lockout.' },
      target: { type: ['string', 'null'], description: 'e.g. subscriber:42.' },
      before: { description: 'The row before the change (API view, secrets "[redacted]"), or null.' },
      after: { description: 'The row after the change (API view, secrets "[redacted]"), or null.' },
    },
  },
  AuditPage: {
    type: 'object',
    required: ['items', 'limit', 'nextBefore'],
    properties: {
      items: { type: 'array', items: schemaRef('AuditEntry') },
      limit: { type: 'integer', minimum: 1 },
      nextBefore: { type: ['integer', 'null'], description: 'Pass as before for the next (older) page; null on the last page.' },
    },
  },
};

function checkLogin(login: string): void {
  if (!LOGIN.test(login)) throw ApiError.validation([{ field: 'login', message: 'login must be 1–64 letters, digits and . _ @ - starting with a letter or digit' }]);
  if (RESERVED.has(login.toLowerCase())) throw ApiError.validation([{ field: 'login', message: `login ${JSON.stringify(login)} is reserved (the audit log uses it)` }]);
}

const notFound = (id: number) => new ApiError('NOT_FOUND', `no operator with id ${id}`);

/** An enabled admin stops being one: refused when it is the last (the admins' rows are locked by then). */
async function keepAnAdmin(tx: Store, before: Operator, after: { role: Role; disabled: boolean }): Promise<void> {
  const wasAdmin = before.role === 'admin' && !before.disabled;
  const staysAdmin = after.role === 'admin' && !after.disabled;
  if (!wasAdmin || staysAdmin) return;
  const admins = await tx.operators.lockEnabledAdmins();
  if (admins.filter((id) => id !== before.id).length === 0) {
    throw new ApiError('CONFLICT', `${before.login} is the last enabled admin: make another operator admin first`);
  }
}

function canManage(actor: Actor): boolean {
  return roleAllows(actor.role, 'operators:manage');
}

export const operatorRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    permission: 'operators:manage',
    pattern: OPERATORS,
    operationId: 'listOperators',
    summary: 'List the operators',
    tag: 'Operators',
    success: { status: 200, description: 'Every operator, by id', schema: schemaRef('OperatorList') },
    errors: [],
    async handle(ctx) {
      return { status: 200, body: { items: (await ctx.store.operators.list()).map(operatorView) } };
    },
  },
  {
    method: 'POST',
    permission: 'operators:manage',
    pattern: OPERATORS,
    operationId: 'createOperator',
    summary: 'Create an operator',
    tag: 'Operators',
    requestBody: 'OperatorCreate',
    body: { shape: operatorCreateFields, mode: 'create' },
    success: { status: 201, description: 'The operator; Location names it', schema: schemaRef('Operator') },
    errors: [...BODY_ERRORS, 'CONFLICT'],
    async handle(ctx) {
      const input = parseBody(operatorCreateFields, await ctx.readBody(), 'create');
      checkLogin(input.login);
      const passwordHash = await hashPassword(input.password);
      const operator = await ctx.audited('operator.create', null, async (tx) => {
        const row = await tx.operators.create({ login: input.login, displayName: input.displayName ?? '', role: input.role, passwordHash });
        return { result: row, target: `operator:${row.id}`, after: { ...operatorView(row), password: 'set' } };
      });
      return { status: 201, body: operatorView(operator), headers: { location: `${OPERATORS}/${operator.id}` } };
    },
  },
  {
    method: 'GET',
    permission: 'operators:manage',
    pattern: `${OPERATORS}/:id`,
    operationId: 'getOperator',
    summary: 'Get one operator',
    tag: 'Operators',
    success: { status: 200, description: 'The operator', schema: schemaRef('Operator') },
    errors: ['NOT_FOUND'],
    async handle(ctx) {
      const id = idParam(ctx);
      const operator = await ctx.store.operators.get(id);
      if (!operator) throw notFound(id);
      return { status: 200, body: operatorView(operator) };
    },
  },
  {
    method: 'PATCH',
    permission: 'operators:manage',
    pattern: `${OPERATORS}/:id`,
    operationId: 'updateOperator',
    summary: 'Change display name, role or disabled (disabling ends its sessions)',
    tag: 'Operators',
    requestBody: 'OperatorPatch',
    body: { shape: operatorPatchFields, mode: 'patch', description: PATCH_DESCRIPTION },
    success: { status: 200, description: 'The operator after the change', schema: schemaRef('Operator') },
    errors: [...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'],
    async handle(ctx) {
      const id = idParam(ctx);
      const patch = parseBody(operatorPatchFields, await ctx.readBody(), 'patch');
      const operator = await ctx.audited('operator.update', `operator:${id}`, async (tx) => {
        const before = await tx.operators.get(id);
        if (!before) throw notFound(id);
        if (Object.keys(patch).length === 0) return { result: before, skip: true };
        await keepAnAdmin(tx, before, { role: patch.role ?? before.role, disabled: patch.disabled ?? before.disabled });
        const after = (await tx.operators.update(id, patch))!;
        const sessionsEnded = after.disabled && !before.disabled ? await tx.operatorSessions.endAll(id) : 0;
        return { result: after, before: operatorView(before), after: { ...operatorView(after), ...(sessionsEnded > 0 ? { sessionsEnded } : {}) } };
      });
      return { status: 200, body: operatorView(operator) };
    },
  },
  {
    method: 'POST',
    permission: 'operators:manage',
    pattern: `${OPERATORS}/:id/password`,
    operationId: 'resetOperatorPassword',
    summary: "Set an operator's password (its sessions end)",
    tag: 'Operators',
    requestBody: 'OperatorPasswordReset',
    body: { shape: passwordResetFields, mode: 'create' },
    success: { status: 204, description: 'Set; every session of the operator has ended' },
    errors: [...BODY_ERRORS, 'NOT_FOUND'],
    async handle(ctx) {
      const id = idParam(ctx);
      const input = parseBody(passwordResetFields, await ctx.readBody(), 'create');
      const hash = await hashPassword(input.password);
      await ctx.audited('operator.password_reset', `operator:${id}`, async (tx) => {
        if (!(await tx.operators.setPassword(id, hash))) throw notFound(id);
        const sessionsEnded = await tx.operatorSessions.endAll(id);
        return { result: undefined, after: { password: 'set', sessionsEnded } };
      });
      return { status: 204 };
    },
  },
];

export const tokenRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    permission: 'self',
    pattern: TOKENS,
    operationId: 'listTokens',
    summary: "One's own API tokens (or, with operators:manage, an operator's: ?operator=ID)",
    tag: 'Tokens',
    query: tokenQuery,
    success: { status: 200, description: 'The tokens, newest first, without their secrets', schema: schemaRef('OperatorTokenList') },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    async handle(ctx) {
      const q = parseQuery(tokenQuery, ctx.query);
      const own = ctx.actor.operatorId;
      if (q.operator !== undefined && q.operator !== own && !canManage(ctx.actor)) {
        throw new ApiError('FORBIDDEN', "another operator's tokens need the operators:manage permission");
      }
      // The bootstrap admin has no tokens of its own: it sees everyone's.
      const operatorId = q.operator ?? own ?? undefined;
      const items = await ctx.store.operatorTokens.list(operatorId === undefined ? {} : { operatorId });
      return { status: 200, body: { items } };
    },
  },
  {
    method: 'POST',
    permission: 'self',
    pattern: TOKENS,
    operationId: 'createToken',
    summary: 'Make an API token for oneself (role at most one’s own); the token is shown once',
    tag: 'Tokens',
    requestBody: 'OperatorTokenCreate',
    body: { shape: tokenCreateFields, mode: 'create' },
    success: { status: 201, description: 'The token, with its text (tg_<id>_<secret>) this once', schema: schemaRef('OperatorTokenCreated'), location: false },
    errors: [...BODY_ERRORS, 'FORBIDDEN'],
    async handle(ctx) {
      const input = parseBody(tokenCreateFields, await ctx.readBody(), 'create');
      const operatorId = requireOperatorId(ctx.actor);
      // The ceiling is the role in force: a token cannot make a token above itself.
      const role = input.role ?? ctx.actor.role;
      if (!roleAtMost(role, ctx.actor.role)) {
        throw new ApiError('FORBIDDEN', `a token's role is at most its maker's: ${ctx.actor.role} cannot make a ${role} token`);
      }
      const secret = randomSecret();
      const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS).toISOString();
      const token = await ctx.audited('token.create', null, async (tx) => {
        const row = await tx.operatorTokens.create({ operatorId, name: input.name, role, secretHash: sha256Hex(secret), expiresAt });
        return { result: row, target: `token:${row.id}`, after: row };
      });
      return { status: 201, body: { ...token, token: formatApiToken(token.id, secret) } };
    },
  },
  {
    method: 'DELETE',
    permission: 'self',
    pattern: `${TOKENS}/:id`,
    operationId: 'revokeToken',
    summary: 'Revoke an API token (one’s own, or anyone’s with operators:manage)',
    tag: 'Tokens',
    success: { status: 204, description: 'Revoked (it fails from now on)' },
    errors: ['NOT_FOUND'],
    async handle(ctx: ApiContext) {
      const id = idParam(ctx);
      await ctx.audited('token.revoke', `token:${id}`, async (tx) => {
        const before = await tx.operatorTokens.get(id);
        // Someone else's token is not shown to who may not manage it: the same 404 as none.
        if (!before || (before.operatorId !== ctx.actor.operatorId && !canManage(ctx.actor))) throw new ApiError('NOT_FOUND', `no API token with id ${id}`);
        if (before.revokedAt !== null) return { result: undefined, skip: true };
        const after = await tx.operatorTokens.revoke(id);
        return { result: undefined, before, after };
      });
      return { status: 204 };
    },
  },
];

export const auditLogRoute: ApiRoute = {
  method: 'GET',
  permission: 'audit:read',
  pattern: `${API_PREFIX}/audit-log`,
  operationId: 'listAuditLog',
  summary: 'The audit log, newest first',
  tag: 'Audit',
  query: auditQuery,
  success: { status: 200, description: 'A page of entries, newest first', schema: schemaRef('AuditPage') },
  errors: ['VALIDATION_FAILED'],
  async handle(ctx) {
    const q = parseQuery(auditQuery, ctx.query);
    const items = await ctx.store.audit.query({
      limit: q.limit,
      ...(q.operator === undefined ? {} : { operatorId: q.operator }),
      ...(q.target === undefined ? {} : { target: q.target }),
      ...(q.action === undefined ? {} : { action: q.action }),
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
      ...(q.before === undefined ? {} : { before: q.before }),
    });
    return { status: 200, body: { items, limit: q.limit, nextBefore: items.length === q.limit ? (items.at(-1)?.id ?? null) : null } };
  },
};
