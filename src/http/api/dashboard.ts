/**
 * The console's dashboard: `GET /api/v1/dashboard?from=&to=` (the figures of a range) and
 * `GET /api/v1/dashboard/live` (Server-Sent Events: the cheap live figures every 2 s, a heartbeat comment every
 * 10 s, at most 3 streams per operator, the 4th answered 429 TOO_MANY_REQUESTS; the streams of a process share one
 * read per interval, however many are open). Every figure comes from the database, so any instance (a cluster
 * primary counts no RADIUS itself) answers the same: online sessions from the open sessions' partial index,
 * decisions per minute from the auth log's per-minute rollup, sessions started from (started_at), payments and
 * charges of today and this month in the fee time zone (fees.timeZone; UTC without one), CoA outcomes over the
 * range from coa_audit, and the rating lag from the journal.
 */
import type { Store } from '../../domain/ports.js';
import type { ConsoleDeps } from './console-deps.js';
import { ApiError, type FieldIssue } from './errors.js';
import { timestamp, type JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import type { ApiContext, ApiRoute } from './route.js';
import { parseQuery } from './validate.js';
import { bucketSeconds } from '../../domain/console.js';

export const MAX_DASHBOARD_DAYS = 31;
export const LIVE_INTERVAL_MS = 2000;
export const LIVE_HEARTBEAT_MS = 10_000;
export const LIVE_STREAMS_PER_OPERATOR = 3;
/** The window decisions per second are averaged over (the auth log is written in batches, seconds late). */
export const LIVE_RATE_WINDOW_S = 60;

const dashboardQuery = {
  from: timestamp('Start of the range (inclusive); default one hour before to.').optional(),
  to: timestamp('End of the range (exclusive); default now. At most 31 days after from.').optional(),
};

const count = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });
const money = (description: string): JsonSchema => ({ type: 'integer', description: `${description} Integer minor units.` });
const sums: JsonSchema = {
  type: 'object',
  properties: { payments: money('Payments received.'), charges: money('Charges and daily fees.') },
  required: ['payments', 'charges'],
};

export const DASHBOARD_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Dashboard: {
    type: 'object',
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      timeZone: { type: 'string', description: 'What today and this month are days of (fees.timeZone; UTC when none is configured).' },
      onlineSessions: count('Sessions open now.'),
      blockedAccounts: count('Accounts blocked now.'),
      bucketSeconds: { type: 'integer', description: '60, or wider for ranges over a day (at most 1440 buckets).' },
      decisions: {
        type: 'array',
        description: 'Access decisions per bucket, oldest first; buckets without any are left out.',
        items: {
          type: 'object',
          properties: { at: { type: 'string', format: 'date-time' }, accept: count(''), redirect: count(''), reject: count('') },
          required: ['at', 'accept', 'redirect', 'reject'],
        },
      },
      accounting: {
        type: 'object',
        properties: {
          sessionsStarted: count('Sessions started in the range.'),
          sessionsPerMinute: { type: 'number', description: 'sessionsStarted over the range in minutes.' },
          unratedRecords: count('Accounting records journaled and not yet rated.'),
          oldestUnratedSeconds: count('Age of the oldest unrated journal row; 0 when none.'),
        },
        required: ['sessionsStarted', 'sessionsPerMinute', 'unratedRecords', 'oldestUnratedSeconds'],
      },
      coa: {
        type: 'object',
        properties: {
          total: count('CoA and Disconnect requests in the range.'),
          ack: count(''),
          nak: count(''),
          timeout: count(''),
          aborted: count(''),
          successRate: { type: ['number', 'null'], description: 'ack / total; null without requests.' },
        },
        required: ['total', 'ack', 'nak', 'timeout', 'aborted', 'successRate'],
      },
      today: sums,
      month: sums,
    },
    required: ['from', 'to', 'timeZone', 'onlineSessions', 'blockedAccounts', 'bucketSeconds', 'decisions', 'accounting', 'coa', 'today', 'month'],
  },
  DashboardLive: {
    type: 'object',
    description: 'One `event: figures` of the live stream (its data, JSON).',
    properties: {
      at: { type: 'string', format: 'date-time' },
      onlineSessions: count('Sessions open now.'),
      decisionsPerSecond: { type: 'number', description: `Access decisions per second over the last ${LIVE_RATE_WINDOW_S} s of the auth log.` },
      unratedRecords: count(''),
      oldestUnratedSeconds: count(''),
    },
    required: ['at', 'onlineSessions', 'decisionsPerSecond', 'unratedRecords', 'oldestUnratedSeconds'],
  },
};

function range(q: { from?: string; to?: string }, now: number): { from: Date; to: Date } {
  const to = q.to === undefined ? new Date(now) : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - 3_600_000) : new Date(q.from);
  const issues: FieldIssue[] = [];
  if (from >= to) issues.push({ field: 'to', message: `to must be after from (from ${from.toISOString()}, to ${to.toISOString()})` });
  else if (to.getTime() - from.getTime() > MAX_DASHBOARD_DAYS * 86_400_000) issues.push({ field: 'from', message: `the range is at most ${MAX_DASHBOARD_DAYS} days` });
  if (issues.length > 0) throw ApiError.validation(issues);
  return { from, to };
}

/** The live streams each operator holds open (this process). */
const liveStreams = new Map<string, number>();

/** The number of live streams `login` holds (tests). */
export function liveStreamsOf(login: string): number {
  return liveStreams.get(login) ?? 0;
}

/** Waits `ms`, or less when `signal` aborts; true when it did (the stream should end). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (aborted: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(aborted);
    };
    const onAbort = (): void => done(true);
    const timer = setTimeout(() => done(false), ms);
    timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The figures the streams on one store share: read once per interval, however many streams are open. */
const shared = new WeakMap<Store, { readonly at: number; readonly figures: Promise<Record<string, unknown>> }>();

function liveFigures(ctx: ApiContext): Promise<Record<string, unknown>> {
  const now = Date.now();
  const last = shared.get(ctx.store);
  if (last && now - last.at < LIVE_INTERVAL_MS * 0.75) return last.figures;
  const figures = readLiveFigures(ctx);
  shared.set(ctx.store, { at: now, figures });
  // A failed read is not shared: the next caller reads again.
  figures.catch(() => {
    if (shared.get(ctx.store)?.figures === figures) shared.delete(ctx.store);
  });
  return figures;
}

async function readLiveFigures(ctx: ApiContext): Promise<Record<string, unknown>> {
  const now = new Date();
  const [online, decisions, lag] = await Promise.all([
    ctx.store.console.onlineSessions(),
    ctx.store.console.decisionsSince(new Date(now.getTime() - LIVE_RATE_WINDOW_S * 1000), now),
    ctx.store.console.ratingLag(),
  ]);
  return {
    at: now.toISOString(),
    onlineSessions: online,
    decisionsPerSecond: Math.round((decisions / LIVE_RATE_WINDOW_S) * 100) / 100,
    unratedRecords: lag.unratedRecords,
    oldestUnratedSeconds: lag.oldestSeconds,
  };
}

/**
 * The event stream: the first figures were read before the status line (so a database failure is still a JSON
 * error); then every interval, with a heartbeat comment between. A failed read is sent as an `error` event and
 * the stream goes on. It ends when the listener drains; the operator's slot is given back when it ends or the
 * client goes away.
 */
async function* live(ctx: ApiContext, first: Record<string, unknown>, release: () => void): AsyncGenerator<string> {
  try {
    yield `retry: ${LIVE_INTERVAL_MS}\n\n`;
    yield `event: figures\ndata: ${JSON.stringify(first)}\n\n`;
    let lastBeat = Date.now();
    for (;;) {
      // The listener drains: end the stream (the client's EventSource reconnects to another instance).
      if (await sleep(LIVE_INTERVAL_MS, ctx.closing)) return;
      if (Date.now() - lastBeat >= LIVE_HEARTBEAT_MS) {
        lastBeat = Date.now();
        yield `: heartbeat ${new Date(lastBeat).toISOString()}\n\n`;
      }
      try {
        yield `event: figures\ndata: ${JSON.stringify(await liveFigures(ctx))}\n\n`;
      } catch {
        yield `event: error\ndata: ${JSON.stringify({ code: 'UNAVAILABLE', message: 'the figures could not be read; retrying' })}\n\n`;
      }
    }
  } finally {
    release();
  }
}

/**
 * Takes one of the operator's stream slots; the function gives it back, once however often it is called (the
 * stream's end and its iterator's return both call it: a client gone before the first read ends the iterator
 * without running the generator's body).
 */
function takeSlot(login: string): () => void {
  liveStreams.set(login, (liveStreams.get(login) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (liveStreams.get(login) ?? 1) - 1;
    if (n <= 0) liveStreams.delete(login);
    else liveStreams.set(login, n);
  };
}

/** The generator, with `release` also called when its consumer returns it early. */
function releasing(it: AsyncGenerator<string>, release: () => void): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => it.next(),
      return: async (value?: unknown) => {
        release();
        return it.return(value);
      },
    }),
  };
}

export function dashboardRoutes(deps: ConsoleDeps): ApiRoute[] {
  const timeZone = deps.timeZone ?? 'UTC';
  return [
    {
      method: 'GET',
      permission: 'read',
      pattern: `${API_PREFIX}/dashboard`,
      operationId: 'getDashboard',
      summary: 'The dashboard figures: sessions online, decisions per minute, accounting and rating lag, blocked accounts, money today and this month, CoA outcomes',
      tag: 'Console',
      query: dashboardQuery,
      success: { status: 200, description: 'The figures', schema: schemaRef('Dashboard') },
      errors: ['VALIDATION_FAILED'],
      async handle(ctx) {
        const { from, to } = range(parseQuery(dashboardQuery, ctx.query), Date.now());
        const [f, lag] = await Promise.all([ctx.store.console.dashboard(from, to, timeZone), ctx.store.console.ratingLag()]);
        const minutes = (to.getTime() - from.getTime()) / 60_000;
        return {
          status: 200,
          body: {
            from: from.toISOString(),
            to: to.toISOString(),
            timeZone,
            onlineSessions: f.onlineSessions,
            blockedAccounts: f.blockedAccounts,
            bucketSeconds: bucketSeconds(from, to),
            decisions: f.decisions,
            accounting: {
              sessionsStarted: f.sessionsStarted,
              sessionsPerMinute: Math.round((f.sessionsStarted / minutes) * 100) / 100,
              unratedRecords: lag.unratedRecords,
              oldestUnratedSeconds: lag.oldestSeconds,
            },
            coa: { ...f.coa, successRate: f.coa.total === 0 ? null : Math.round((f.coa.ack / f.coa.total) * 10_000) / 10_000 },
            today: f.today,
            month: f.month,
          },
        };
      },
    },
    {
      method: 'GET',
      permission: 'read',
      pattern: `${API_PREFIX}/dashboard/live`,
      operationId: 'streamDashboard',
      summary: `Live figures as Server-Sent Events every ${LIVE_INTERVAL_MS / 1000} s (at most ${LIVE_STREAMS_PER_OPERATOR} streams per operator)`,
      tag: 'Console',
      success: {
        status: 200,
        description: `text/event-stream: \`event: figures\` with a DashboardLive as data every ${LIVE_INTERVAL_MS / 1000} s, a \`: heartbeat\` comment every ${LIVE_HEARTBEAT_MS / 1000} s, \`event: error\` when a read failed (the stream goes on).`,
        mediaTypes: { 'text/event-stream': { type: 'string', description: 'Server-Sent Events; the data of each figures event is a DashboardLive.' } },
      },
      errors: ['TOO_MANY_REQUESTS'],
      async handle(ctx) {
        const login = ctx.actor.login;
        const held = liveStreams.get(login) ?? 0;
        if (held >= LIVE_STREAMS_PER_OPERATOR) {
          throw new ApiError('TOO_MANY_REQUESTS', `${login} already has ${held} live dashboard streams open (at most ${LIVE_STREAMS_PER_OPERATOR}); close one`, { headers: { 'retry-after': '5' } });
        }
        // The slot is taken before the first read, so concurrent requests cannot all pass the check above.
        const release = takeSlot(login);
        let first: Record<string, unknown>;
        try {
          first = await liveFigures(ctx);
        } catch (err) {
          release();
          throw err;
        }
        return {
          status: 200,
          stream: releasing(live(ctx, first, release), release),
          headers: { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' },
        };
      },
    },
  ];
}
