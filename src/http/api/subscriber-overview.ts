/**
 * `GET /api/v1/subscribers/{id}/overview`: the console's support page in one call — the subscriber (without
 * secrets, with its scheduled tariff change), the account (balance, credit limit, active credits, state) with its current state period (since when
 * and why, from account_states), the last 20 access decisions with a plain English sentence for each reason, the
 * open sessions and the last CoA or Disconnect request with the NAS's answer (coa_audit). The reads are
 * independent indexed look-ups, run together.
 */
import { reasonText } from '../../aaa/reason-text.js';
import { ApiError } from './errors.js';
import type { JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { accountResource, responseMapper, subscriberResource } from './resources.js';
import { idParam, type ApiRoute } from './route.js';

export const OVERVIEW_AUTH_LOG = 20;
export const OVERVIEW_SESSIONS = 50;

const toSubscriber = responseMapper(subscriberResource);
const toAccount = responseMapper(accountResource);
const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });

export const OVERVIEW_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  AuthDecision: {
    type: 'object',
    description: 'An auth log entry with its reason in words.',
    properties: {
      at: time('When it was decided.'),
      nas: { type: 'string' },
      result: { type: 'string', enum: ['accept', 'redirect', 'reject'] },
      reason: { type: ['string', 'null'] },
      reasonText: { type: ['string', 'null'], description: 'The reason as a sentence (docs/api.md lists them); null on accept.' },
      method: { type: 'string' },
      callingStationId: { type: ['string', 'null'] },
      nasPort: { type: ['string', 'null'] },
    },
    required: ['at', 'nas', 'result', 'reason', 'reasonText', 'method', 'callingStationId', 'nasPort'],
  },
  CoaAuditEntry: {
    type: 'object',
    description: 'A CoA or Disconnect request and its outcome.',
    properties: {
      at: time('When it was first sent.'),
      nas: { type: 'string' },
      sessionId: { type: ['integer', 'null'] },
      request: { type: 'string', enum: ['coa', 'disconnect'] },
      action: { type: 'string', description: 'restrict, restore, disconnect, …' },
      result: { type: 'string', enum: ['ack', 'nak', 'timeout', 'aborted'] },
      errorCause: { type: ['integer', 'null'], description: 'Error-Cause of a NAK (RFC 5176).' },
      attempts: { type: 'integer', minimum: 0 },
      rttMs: { type: ['integer', 'null'] },
      transport: { type: 'string', enum: ['udp', 'radsec'] },
    },
    required: ['at', 'nas', 'sessionId', 'request', 'action', 'result', 'errorCause', 'attempts', 'rttMs', 'transport'],
  },
  SubscriberOverview: {
    type: 'object',
    properties: {
      subscriber: schemaRef('Subscriber'),
      account: schemaRef('Account'),
      state: {
        type: 'object',
        description: "The account's current state period: since when, and what moved it there (created, payment, charge, credit_limit, credit_expired, …).",
        properties: { state: { type: 'string', enum: ['active', 'blocked'] }, since: time('When it began.'), reason: { type: 'string' } },
        required: ['state', 'since', 'reason'],
      },
      authLog: { type: 'array', items: schemaRef('AuthDecision'), description: `The last ${OVERVIEW_AUTH_LOG} decisions for the username, newest first.` },
      openSessions: { type: 'array', items: schemaRef('Session'), description: `Open sessions, newest first (at most ${OVERVIEW_SESSIONS}).` },
      lastCoa: { anyOf: [schemaRef('CoaAuditEntry'), { type: 'null' }], description: 'The newest CoA or Disconnect about the username, or null.' },
    },
    required: ['subscriber', 'account', 'state', 'authLog', 'openSessions', 'lastCoa'],
  },
};

export const subscriberOverviewRoute: ApiRoute = {
  method: 'GET',
  permission: 'read',
  pattern: `${API_PREFIX}/subscribers/:id/overview`,
  operationId: 'getSubscriberOverview',
  summary: "The support page in one call: subscriber, account and its state since when, last decisions, open sessions, last CoA",
  tag: 'Console',
  success: { status: 200, description: 'The overview', schema: schemaRef('SubscriberOverview') },
  errors: ['NOT_FOUND'],
  async handle(ctx) {
    const id = idParam(ctx);
    const subscriber = await ctx.store.subscribers.get(id);
    if (!subscriber) throw new ApiError('NOT_FOUND', `no subscriber with id ${id}`);
    const { username, accountId } = subscriber;
    const [account, period, decisions, sessions, lastCoa, scheduled] = await Promise.all([
      ctx.store.accounts.get(accountId),
      ctx.store.console.statePeriod(accountId),
      ctx.store.authLog.query({ username, limit: OVERVIEW_AUTH_LOG }),
      ctx.store.sessions.list({ username, active: true }, { limit: OVERVIEW_SESSIONS, offset: 0 }),
      ctx.store.console.lastCoa(username),
      ctx.store.tariffChanges.pending([id]),
    ]);
    // Deleted between the reads: as if the subscriber had gone first.
    if (!account) throw new ApiError('NOT_FOUND', `no subscriber with id ${id}`);
    return {
      status: 200,
      body: {
        subscriber: toSubscriber({ ...subscriber, scheduledTariffChange: scheduled.get(id) ?? null }),
        account: toAccount(account),
        state: period ?? { state: account.state, since: account.stateSince, reason: 'unknown' },
        authLog: decisions.map(({ username: _u, id: _id, ...e }) => ({ ...e, reasonText: reasonText(e.reason) })),
        openSessions: sessions.items,
        lastCoa: lastCoa ?? null,
      },
    };
  },
};
