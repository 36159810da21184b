/**
 * Signing in and one's own credentials (docs/console.md, Identities): POST /auth/login (public) opens a console
 * session — the `tg_session` cookie and a CSRF token — after the password (scrypt) and, when enrolled, a TOTP code
 * (used once); failures are throttled per login and per address (LoginThrottle, 429 with Retry-After) and
 * audited, as is the lockout. /auth/logout, /auth/me (which answers a session's CSRF token again, derived from its
 * cookie, so a reload keeps working), and the `self` routes: one's password and second factor.
 */
import { csrfTokenFor, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, newTotpSecret, randomSecret, sha256Hex, totpUri, verifyPassword, verifyTotp } from '../../domain/credentials.js';
import { PERMISSIONS, roleAllows, type Actor, type Operator, type OperatorCredentials } from '../../domain/operators.js';
import type { Store } from '../../domain/ports.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { ApiError } from './errors.js';
import { text, type JsonSchema } from './fields.js';
import type { ApiContext, ApiRoute } from './route.js';
import { clearedSessionCookie, sessionCookie } from './security.js';
import { parseBody } from './validate.js';

const AUTH = `${API_PREFIX}/auth`;
const BODY_ERRORS = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'] as const;

const password = (description: string, minLength = 1) => text({ description, minLength, maxLength: MAX_PASSWORD_LENGTH }).secret();
export const newPasswordField = (description: string) => password(`${description} At least ${MIN_PASSWORD_LENGTH} characters.`, MIN_PASSWORD_LENGTH);

export const loginFields = {
  login: text({ description: 'The operator login (case-insensitive).', maxLength: 64, example: 'alice' }),
  password: password('The password.'),
  totp: text({ description: 'The 6-digit code of the authenticator app, when the operator has a second factor.', maxLength: 16, example: '123456' }).optional(),
};

const passwordChangeFields = {
  currentPassword: password('The password now.'),
  newPassword: newPasswordField('The new password.'),
};

const totpConfirmFields = { code: text({ description: 'A code the authenticator app shows for the new secret.', maxLength: 16, example: '123456' }) };
const totpDisableFields = { password: password('The password, to confirm.') };

const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });

export const OPERATOR_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'An operator of the console (never the password hash or the TOTP secret).',
  required: ['id', 'login', 'displayName', 'role', 'disabled', 'totpEnabled', 'createdAt', 'updatedAt', 'lastLoginAt'],
  properties: {
    id: { type: 'integer', minimum: 1 },
    login: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'billing', 'support', 'readonly'] },
    disabled: { type: 'boolean' },
    totpEnabled: { type: 'boolean', description: 'Whether a second factor (TOTP) is enrolled.' },
    createdAt: time('When it was created (UTC).'),
    updatedAt: time('When it last changed (UTC).'),
    lastLoginAt: { type: ['string', 'null'], format: 'date-time', description: 'The last console sign-in.' },
  },
};

export const AUTH_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Operator: OPERATOR_SCHEMA,
  LoginResult: {
    type: 'object',
    required: ['operator', 'csrfToken', 'expiresAt'],
    properties: {
      operator: schemaRef('Operator'),
      csrfToken: { type: 'string', description: 'Send it as X-CSRF-Token on every POST, PATCH, PUT and DELETE of this session.' },
      expiresAt: time('When the session ends at the latest (it ends sooner when idle).'),
    },
  },
  Me: {
    type: 'object',
    required: ['kind', 'login', 'role', 'permissions', 'operator'],
    properties: {
      kind: { type: 'string', enum: ['bootstrap', 'session', 'token'], description: 'How the request was authenticated.' },
      login: { type: 'string' },
      role: { type: 'string', enum: ['admin', 'billing', 'support', 'readonly'], description: "The role in force (a token's, at most its operator's)." },
      permissions: { type: 'array', items: { type: 'string' } },
      operator: { anyOf: [schemaRef('Operator'), { type: 'null' }], description: 'Null for the bootstrap admin token.' },
      csrfToken: { type: 'string', description: "A console session's X-CSRF-Token (the one the login answered), so a reloaded console can send it; absent for tokens." },
    },
  },
  TotpEnrolment: {
    type: 'object',
    required: ['secret', 'uri'],
    properties: {
      secret: { type: 'string', description: 'Base32, for typing into an authenticator app.' },
      uri: { type: 'string', description: 'otpauth://totp/… for a QR code.' },
    },
  },
};

/** Public view of an operator's credentials row. */
export function operatorView(c: Operator): Operator {
  return {
    id: c.id,
    login: c.login,
    displayName: c.displayName,
    role: c.role,
    disabled: c.disabled,
    totpEnabled: c.totpEnabled,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastLoginAt: c.lastLoginAt,
  };
}

/** The operator behind the request; the bootstrap token has none (403). */
export function requireOperatorId(actor: Actor): number {
  if (actor.operatorId === null) throw new ApiError('FORBIDDEN', 'the bootstrap admin token is no operator: sign in as an operator (make one with POST /api/v1/operators)');
  return actor.operatorId;
}

async function ownCredentials(store: Store, actor: Actor): Promise<OperatorCredentials> {
  const creds = await store.operators.credentials({ id: requireOperatorId(actor) });
  if (!creds) throw new ApiError('NOT_FOUND', `no operator with id ${actor.operatorId}`);
  return creds;
}

/** Counts a failed password of a signed-in operator like a failed sign-in (a stolen session cannot guess freely). */
async function wrongPassword(ctx: ApiContext, login: string, field: string): Promise<never> {
  const locked = ctx.security.throttle.fail(login, ctx.actor.address);
  await ctx.audit('auth.password_failed', ctx.actor.operatorId === null ? null : `operator:${ctx.actor.operatorId}`, { after: { login } });
  if (locked) ctx.log.warn({ login, address: ctx.actor.address }, 'operator sign-in locked after repeated failures');
  throw ApiError.validation([{ field, message: `${field} is not your current password` }]);
}

function throttled(ctx: ApiContext, login: string): void {
  const retry = ctx.security.throttle.check(login, ctx.actor.address);
  if (retry !== undefined) {
    throw new ApiError('TOO_MANY_REQUESTS', `too many failed sign-ins for this login or from this address; try again in ${retry} s`, { headers: { 'retry-after': String(retry) } });
  }
}

const loginRoute: ApiRoute = {
  method: 'POST',
  permission: 'public',
  pattern: `${AUTH}/login`,
  operationId: 'login',
  summary: 'Sign in: sets the tg_session cookie and answers the CSRF token',
  tag: 'Auth',
  requestBody: 'Login',
  body: { shape: loginFields, mode: 'create' },
  success: { status: 200, description: 'Signed in; Set-Cookie carries the session (HttpOnly, SameSite=Strict)', schema: schemaRef('LoginResult') },
  errors: [...BODY_ERRORS, 'UNAUTHORIZED', 'TOO_MANY_REQUESTS'],
  async handle(ctx) {
    const input = parseBody(loginFields, await ctx.readBody(), 'create');
    const address = ctx.actor.address;
    throttled(ctx, input.login);
    const creds = await ctx.store.operators.credentials({ login: input.login });
    const passwordOk = await verifyPassword(input.password, creds?.passwordHash);
    const fail = async (reason: string): Promise<never> => {
      const locked = ctx.security.throttle.fail(input.login, address);
      const target = creds ? `operator:${creds.id}` : null;
      await ctx.audit('auth.login_failed', target, { after: { login: input.login, reason } });
      if (locked) {
        ctx.log.warn({ login: input.login, address }, 'operator sign-in locked after repeated failures');
        await ctx.audit('auth.lockout', target, { after: { login: input.login, windowMinutes: ctx.security.settings.throttle.windowMinutes } });
      }
      throw new ApiError('UNAUTHORIZED', 'wrong login or password, or a wrong second-factor code');
    };
    if (!creds || !passwordOk) return fail(creds ? 'password' : 'unknown login');
    if (creds.disabled) return fail('disabled');
    if (creds.totpSecret !== null) {
      // The password was right: say that the code is missing (not a guess, not counted).
      if (input.totp === undefined) throw new ApiError('UNAUTHORIZED', 'this operator has a second factor: send totp, the code of the authenticator app', { field: 'totp' });
      const step = verifyTotp(creds.totpSecret, input.totp.trim(), Date.now() / 1000, creds.totpLastStep);
      if (step === undefined || !(await ctx.store.operators.useTotpStep(creds.id, step))) return fail('totp');
    }
    ctx.security.throttle.succeed(input.login);
    const cookie = randomSecret();
    const csrfToken = csrfTokenFor(cookie);
    const { settings } = ctx.security;
    const { expiresAt, operator } = await ctx.store.transaction(async (tx) => {
      const session = await tx.operatorSessions.create(
        { idHash: sha256Hex(cookie), operatorId: creds.id, csrfHash: sha256Hex(csrfToken), maxHours: settings.sessionMaxHours, address, userAgent: ctx.request.userAgent },
        settings.sessionIdleMinutes,
      );
      await tx.operators.recordLogin(creds.id);
      await tx.audit.append({ operatorId: creds.id, login: creds.login, via: 'session', address, action: 'auth.login', target: `operator:${creds.id}` });
      return { expiresAt: session.expiresAt, operator: (await tx.operators.get(creds.id))! };
    });
    return {
      status: 200,
      body: { operator: operatorView(operator), csrfToken, expiresAt },
      headers: { 'set-cookie': sessionCookie(cookie, settings.sessionMaxHours * 3600, ctx.request.secure) },
    };
  },
};

const logoutRoute: ApiRoute = {
  method: 'POST',
  permission: 'authenticated',
  pattern: `${AUTH}/logout`,
  operationId: 'logout',
  summary: 'Sign out: ends the console session (a no-op for tokens)',
  tag: 'Auth',
  success: { status: 204, description: 'The session has ended; the cookie is cleared' },
  errors: ['CSRF_FAILED'],
  async handle(ctx) {
    const idHash = ctx.request.sessionIdHash;
    if (idHash !== undefined) {
      await ctx.audited('auth.logout', `operator:${ctx.actor.operatorId}`, async (tx) => ({ result: await tx.operatorSessions.end(idHash) }));
    }
    return { status: 204, headers: { 'set-cookie': clearedSessionCookie(ctx.request.secure) } };
  },
};

const meRoute: ApiRoute = {
  method: 'GET',
  permission: 'authenticated',
  pattern: `${AUTH}/me`,
  operationId: 'getMe',
  summary: 'Who am I: the operator, the role in force and its permissions',
  tag: 'Auth',
  success: { status: 200, description: 'The caller', schema: schemaRef('Me') },
  errors: [],
  async handle(ctx) {
    const { actor } = ctx;
    const operator = actor.operatorId === null ? null : await ctx.store.operators.get(actor.operatorId);
    return {
      status: 200,
      body: {
        kind: actor.kind,
        login: actor.login,
        role: actor.role,
        permissions: PERMISSIONS.filter((p) => roleAllows(actor.role, p)),
        operator: operator ? operatorView(operator) : null,
        ...(ctx.request.csrfToken === undefined ? {} : { csrfToken: ctx.request.csrfToken }),
      },
    };
  },
};

const passwordRoute: ApiRoute = {
  method: 'POST',
  permission: 'self',
  pattern: `${AUTH}/password`,
  operationId: 'changeOwnPassword',
  summary: "Change one's own password (the other sessions end)",
  tag: 'Auth',
  requestBody: 'PasswordChange',
  body: { shape: passwordChangeFields, mode: 'create' },
  success: { status: 204, description: 'Changed; every other session of the operator has ended' },
  errors: [...BODY_ERRORS, 'FORBIDDEN', 'TOO_MANY_REQUESTS'],
  async handle(ctx) {
    const input = parseBody(passwordChangeFields, await ctx.readBody(), 'create');
    const creds = await ownCredentials(ctx.store, ctx.actor);
    throttled(ctx, creds.login);
    if (!(await verifyPassword(input.currentPassword, creds.passwordHash))) await wrongPassword(ctx, creds.login, 'currentPassword');
    const hash = await hashPassword(input.newPassword);
    await ctx.audited('operator.password_change', `operator:${creds.id}`, async (tx) => {
      await tx.operators.setPassword(creds.id, hash);
      const ended = await tx.operatorSessions.endAll(creds.id, ctx.request.sessionIdHash);
      return { result: undefined, after: { password: 'changed', sessionsEnded: ended } };
    });
    return { status: 204 };
  },
};

const totpBeginRoute: ApiRoute = {
  method: 'POST',
  permission: 'self',
  pattern: `${AUTH}/totp`,
  operationId: 'beginTotpEnrolment',
  summary: 'Begin enrolling a second factor: a new TOTP secret, active once confirmed with a code',
  tag: 'Auth',
  success: { status: 200, description: 'The secret and its otpauth:// URI (shown once)', schema: schemaRef('TotpEnrolment') },
  errors: ['FORBIDDEN', 'CONFLICT'],
  async handle(ctx) {
    const creds = await ownCredentials(ctx.store, ctx.actor);
    if (creds.totpSecret !== null) throw new ApiError('CONFLICT', 'a second factor is enrolled already: remove it first (DELETE /api/v1/auth/totp)');
    const secret = newTotpSecret();
    await ctx.audited('auth.totp_begin', `operator:${creds.id}`, async (tx) => ({ result: await tx.operators.setPendingTotp(creds.id, secret) }));
    return { status: 200, body: { secret, uri: totpUri(secret, creds.login) } };
  },
};

const totpConfirmRoute: ApiRoute = {
  method: 'POST',
  permission: 'self',
  pattern: `${AUTH}/totp/confirm`,
  operationId: 'confirmTotpEnrolment',
  summary: 'Confirm the second factor with a code of the new secret: from now on sign-in needs a code',
  tag: 'Auth',
  requestBody: 'TotpConfirm',
  body: { shape: totpConfirmFields, mode: 'create' },
  success: { status: 200, description: 'The operator, totpEnabled true', schema: schemaRef('Operator') },
  errors: [...BODY_ERRORS, 'FORBIDDEN', 'CONFLICT'],
  async handle(ctx) {
    const input = parseBody(totpConfirmFields, await ctx.readBody(), 'create');
    const creds = await ownCredentials(ctx.store, ctx.actor);
    if (creds.totpPendingSecret === null) throw new ApiError('CONFLICT', 'no enrolment in progress: begin with POST /api/v1/auth/totp');
    const step = verifyTotp(creds.totpPendingSecret, input.code.trim(), Date.now() / 1000, null);
    if (step === undefined) throw ApiError.validation([{ field: 'code', message: 'code is not the current code of the new secret (check the clock of the device)' }]);
    const operator = await ctx.audited('auth.totp_enable', `operator:${creds.id}`, async (tx) => {
      await tx.operators.confirmTotp(creds.id, step);
      const after = (await tx.operators.get(creds.id))!;
      return { result: after, before: operatorView(creds), after: operatorView(after) };
    });
    return { status: 200, body: operatorView(operator) };
  },
};

const totpDisableRoute: ApiRoute = {
  method: 'DELETE',
  permission: 'self',
  pattern: `${AUTH}/totp`,
  operationId: 'removeTotp',
  summary: "Remove one's second factor (needs the password)",
  tag: 'Auth',
  requestBody: 'TotpDisable',
  body: { shape: totpDisableFields, mode: 'create' },
  success: { status: 204, description: 'Removed: sign-in needs the password only' },
  errors: [...BODY_ERRORS, 'FORBIDDEN', 'TOO_MANY_REQUESTS'],
  async handle(ctx) {
    const input = parseBody(totpDisableFields, await ctx.readBody(), 'create');
    const creds = await ownCredentials(ctx.store, ctx.actor);
    throttled(ctx, creds.login);
    if (!(await verifyPassword(input.password, creds.passwordHash))) await wrongPassword(ctx, creds.login, 'password');
    await ctx.audited('auth.totp_disable', `operator:${creds.id}`, async (tx) => ({ result: await tx.operators.disableTotp(creds.id) }));
    return { status: 204 };
  },
};

export const authRoutes: readonly ApiRoute[] = [loginRoute, logoutRoute, meRoute, passwordRoute, totpBeginRoute, totpConfirmRoute, totpDisableRoute];
