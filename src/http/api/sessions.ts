/**
 * The session routes: lists (open or all, by username or account), "who had IP X at time T" for abuse and
 * lawful-intercept requests (the GiST index on framed_ip and the session's period), one session, and a
 * Disconnect-Request (RFC 5176) to the session's NAS through the daemon's CoA client.
 */
import { CoaStoppedError, type CoaClient, type CoaOutcome } from '../../coa/client.js';
import { sessionIdentity } from '../../coa/actions.js';
import type { SessionNas } from '../../domain/ports.js';
import { ApiError, type FieldIssue } from './errors.js';
import { ipFamily } from '../../schema/index.js';
import { boolean, ipAddress, ref, text, timestamp, type Field, type JsonSchema } from './fields.js';
import { API_PREFIX, pageQuery, schemaRef } from './crud.js';
import { idParam, type ApiRoute } from './route.js';
import { parseQuery } from './validate.js';

/** What the API needs of the CoA client (a fake in tests). */
export type CoaSender = Pick<CoaClient, 'send'>;

/** `true` or `false` in a query string. */
function queryFlag(description: string): Field<boolean, 'required'> {
  return boolean(description);
}

/** An IPv4 or IPv6 host address (no CIDR). */
export function hostIp(description: string): Field<string, 'required'> {
  return ipAddress(description);
}

export const sessionQuery = {
  ...pageQuery,
  active: queryFlag('true: open sessions only; false: stopped sessions only; absent: both.').optional(),
  username: text({ description: 'Only sessions of this exact username.', maxLength: 253 }).optional(),
  accountId: ref('Only sessions charged to this account.').optional(),
  ip: hostIp('With at: the sessions that held this Framed-IP-Address at that instant. Not combinable with active, username, accountId.').optional(),
  at: timestamp('With ip: the instant (ISO-8601 with a zone). Session start and stop are inclusive; an open session has no end.').optional(),
};

const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const nullableText = (description: string): JsonSchema => ({ type: ['string', 'null'], description });
const bytes = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });

const outcomeProperties: Record<string, JsonSchema> = {
  result: { type: 'string', enum: ['ack', 'nak', 'timeout'], description: 'Disconnect-ACK, Disconnect-NAK, or no verified answer after every retransmission.' },
  errorCause: { type: 'integer', description: 'Error-Cause of a NAK (RFC 5176 §3.5), when the NAS sent one: 503 Session Context Not Found, …' },
  attempts: { type: 'integer', minimum: 1, description: 'Transmissions made (1 + retransmissions).' },
};

/** The component schemas of the session routes (merged into the OpenAPI document). */
export const SESSION_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Session: {
    type: 'object',
    description: 'An accounting session (RADIUS Accounting Start … Stop). Traffic in bytes, time in seconds.',
    properties: {
      id: { type: 'integer', minimum: 1 },
      username: { type: 'string' },
      nas: { type: 'string', description: 'NAS name.' },
      acctSessionId: { type: 'string', description: 'Acct-Session-Id given by the NAS.' },
      framedIp: nullableText('Framed-IP-Address.'),
      callingStationId: nullableText('Calling-Station-Id (usually the MAC).'),
      nasPort: nullableText('NAS-Port or NAS-Port-Id.'),
      startedAt: time('Session start (UTC).'),
      updatedAt: time('Last accounting record (UTC).'),
      stoppedAt: { type: ['string', 'null'], format: 'date-time', description: 'Session stop (UTC); null while open.' },
      terminateCause: nullableText('Acct-Terminate-Cause, NAS-Reboot, or Stale-Session (closed by the sweep when its Stop was lost).'),
      inputOctets: bytes('Bytes from the subscriber.'),
      outputOctets: bytes('Bytes to the subscriber.'),
      sessionTime: bytes('Acct-Session-Time, seconds.'),
      subscriberId: { type: ['integer', 'null'], description: 'Null when unknown or deleted.' },
      accountId: { type: ['integer', 'null'], description: 'Null when unknown or deleted.' },
    },
    required: [
      'id', 'username', 'nas', 'acctSessionId', 'framedIp', 'callingStationId', 'nasPort', 'startedAt', 'updatedAt',
      'stoppedAt', 'terminateCause', 'inputOctets', 'outputOctets', 'sessionTime', 'subscriberId', 'accountId',
    ],
  },
  SessionPage: {
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: schemaRef('Session') },
      total: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1 },
      offset: { type: 'integer', minimum: 0 },
    },
  },
  DisconnectResult: { type: 'object', description: 'The NAS acknowledged the Disconnect-Request.', properties: outcomeProperties, required: ['result', 'attempts'] },
  DisconnectFailure: {
    type: 'object',
    description: 'COA_FAILED: the NAS refused (nak) or did not answer (timeout). The outcome is given next to the error.',
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', const: 'COA_FAILED' }, message: { type: 'string', description: 'For people; may change between releases.' } },
      },
      ...outcomeProperties,
    },
    required: ['error', 'result', 'attempts'],
  },
};

const SESSIONS = `${API_PREFIX}/sessions`;
export const DISCONNECT_PATTERN = `${SESSIONS}/:id/disconnect`;

/** ip and at: both or neither, and not with the list filters. */
function checkLookup(q: { ip?: string; at?: string; active?: boolean; username?: string; accountId?: number }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (q.ip !== undefined && q.at === undefined) issues.push({ field: 'at', message: 'at is required with ip: the instant to look the address up at (ISO-8601, e.g. 2025-01-31T12:00:00Z)' });
  if (q.at !== undefined && q.ip === undefined) issues.push({ field: 'ip', message: 'ip is required with at: the Framed-IP-Address to look up' });
  if (q.ip !== undefined || q.at !== undefined) {
    for (const key of ['active', 'username', 'accountId'] as const) {
      if (q[key] !== undefined) issues.push({ field: key, message: `${key} cannot be combined with ip and at` });
    }
  }
  return issues;
}

/** The NAS address a Disconnect-Request goes to: the address, or a single-host CIDR's address; else null. */
export function coaAddress(address: string): string | null {
  const [host, prefix, extra] = address.split('/');
  if (host === undefined || extra !== undefined) return null;
  const family = ipFamily(host);
  if (family === 0) return null;
  if (prefix === undefined) return host;
  return Number(prefix) === (family === 4 ? 32 : 128) ? host : null;
}

function describeOutcome(nas: string, o: CoaOutcome): string {
  const tries = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`;
  if (o.result === 'timeout') return `NAS ${nas} did not answer the Disconnect-Request after ${tries}`;
  return `NAS ${nas} refused the Disconnect-Request (Disconnect-NAK${o.errorCause === undefined ? '' : `, Error-Cause ${o.errorCause}`}) after ${tries}`;
}

const unavailable = (message: string) => new ApiError('COA_UNAVAILABLE', message);

/** The session routes; `coa` sends the Disconnect-Requests (undefined: disconnect answers 503 COA_UNAVAILABLE). */
export function sessionRoutes(coa: CoaSender | undefined): ApiRoute[] {
  return [
    {
      method: 'GET',
      permission: 'read',
      pattern: SESSIONS,
      operationId: 'listSessions',
      summary: 'List sessions newest first, or look up who had an IP address at an instant (ip + at)',
      tag: 'Sessions',
      query: sessionQuery,
      success: { status: 200, description: 'A page of sessions, newest first', schema: schemaRef('SessionPage') },
      errors: ['VALIDATION_FAILED'],
      async handle(ctx) {
        const q = parseQuery(sessionQuery, ctx.query);
        const issues = checkLookup(q);
        if (issues.length > 0) throw ApiError.validation(issues);
        const { limit, offset } = q;
        if (q.ip !== undefined && q.at !== undefined) {
          // Few sessions hold one address at one instant: paged here.
          const all = await ctx.store.sessions.byIpAt(q.ip, new Date(q.at));
          return { status: 200, body: { items: all.slice(offset, offset + limit), total: all.length, limit, offset } };
        }
        const filter = {
          ...(q.active === undefined ? {} : { active: q.active }),
          ...(q.username === undefined ? {} : { username: q.username }),
          ...(q.accountId === undefined ? {} : { accountId: q.accountId }),
        };
        const page = await ctx.store.sessions.list(filter, { limit, offset });
        return { status: 200, body: { items: page.items, total: page.total, limit, offset } };
      },
    },
    {
      method: 'GET',
      permission: 'read',
      pattern: `${SESSIONS}/:id`,
      operationId: 'getSession',
      summary: 'Get one session',
      tag: 'Sessions',
      success: { status: 200, description: 'The session', schema: schemaRef('Session') },
      errors: ['NOT_FOUND'],
      async handle(ctx) {
        const id = idParam(ctx);
        const session = await ctx.store.sessions.get(id);
        if (!session) throw new ApiError('NOT_FOUND', `no session with id ${id}`);
        return { status: 200, body: session };
      },
    },
    {
      method: 'POST',
      permission: 'sessions:disconnect',
      pattern: DISCONNECT_PATTERN,
      operationId: 'disconnectSession',
      summary: "Send a Disconnect-Request (RFC 5176) to the session's NAS",
      tag: 'Sessions',
      success: { status: 200, description: 'The NAS acknowledged (Disconnect-ACK); its Accounting Stop closes the session', schema: schemaRef('DisconnectResult') },
      errors: ['NOT_FOUND', 'CONFLICT', 'COA_FAILED', 'COA_UNAVAILABLE'],
      async handle(ctx) {
        const id = idParam(ctx);
        const found = await ctx.store.sessions.withNas(id);
        if (!found) throw new ApiError('NOT_FOUND', `no session with id ${id}`);
        const { session, nas } = found;
        if (session.stoppedAt !== null) throw new ApiError('CONFLICT', `session ${id} already stopped at ${session.stoppedAt}; there is nothing to disconnect`);
        if (!coa) throw unavailable('this instance has no CoA client, so it cannot send a Disconnect-Request; enable CoA in the configuration');
        const target = coaTarget(session.nas, nas);
        const outcome = await coa
          .send({
            nas: target,
            kind: 'disconnect',
            action: 'disconnect',
            attributes: sessionIdentity({ id: session.id, username: session.username, acctSessionId: session.acctSessionId, framedIp: session.framedIp }),
            username: session.username,
            sessionId: session.id,
          })
          .catch((err: unknown) => {
            // The daemon is stopping: the request was abandoned (audited as aborted), not refused by the NAS.
            if (err instanceof CoaStoppedError) throw unavailable(`the Disconnect-Request to ${target.name} was abandoned because this instance is stopping; retry on a running instance`);
            throw err;
          });
        const body = { result: outcome.result, ...(outcome.errorCause === undefined ? {} : { errorCause: outcome.errorCause }), attempts: outcome.attempts };
        // Nothing in the database changed (the NAS's Stop closes the session): the request and its outcome are audited.
        await ctx.audit('session.disconnect', `session:${id}`, { before: { username: session.username, nas: session.nas, acctSessionId: session.acctSessionId }, after: body });
        if (outcome.result === 'ack') return { status: 200, body };
        const error = new ApiError('COA_FAILED', describeOutcome(target.name, outcome));
        return { status: error.status, body: { ...error.toJSON(), ...body } };
      },
    },
  ];
}

function coaTarget(sessionNas: string, nas: SessionNas | null): { name: string; address: string; secret: Buffer; coaPort: number } {
  if (!nas) throw unavailable(`NAS ${JSON.stringify(sessionNas)} of this session is not in the nas table, so its address, secret and CoA port are unknown; add it under /api/v1/nas`);
  const address = coaAddress(nas.address);
  if (address === null) throw unavailable(`NAS ${JSON.stringify(nas.name)} is registered as the network ${nas.address}, not one address; register the NAS by its own address to disconnect its sessions`);
  return { name: nas.name, address, secret: Buffer.from(nas.secret, 'utf8'), coaPort: nas.coaPort };
}
