/**
 * The admin REST API under /api/v1: authentication (operator API tokens, console sessions with CSRF tokens, the
 * bootstrap admin token: security.ts), the permission each route names, a router over the routes, JSON errors
 * from one registry, audited writes (ApiContext.audited, route.ts), change events after writes, and the OpenAPI
 * document generated from the same definitions.
 *
 * @example
 * const api = createApiHandler({ store, changes, token: config.admin.token, log, security: { sessionIdleMinutes: 30 } });
 * http.createServer(async (req, res) => { if (!(await api(req, res))) sendError(res, 404, 'NOT_FOUND', 'no route'); });
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CoaClient } from '../../coa/client.js';
import type { Logger } from '../../observability/logger.js';
import type { ChangeEvent, ChangeFeed, Store } from '../../domain/ports.js';
import type { TraceService } from '../../domain/trace.js';
import { auditActor, redactSecrets, roleAllows, type Actor } from '../../domain/operators.js';
import { sendJson } from '../admin-server.js';
import { authLogRoute } from './auth-log.js';
import { authRoutes } from './auth-routes.js';
import { readJsonBody } from './body.js';
import { accountingHeldRoutes } from './accounting-held.js';
import { API_PREFIX, crudRoutes } from './crud.js';
import { ApiError, toApiError } from './errors.js';
import { ledgerRoutes } from './ledger.js';
import { buildOpenApi, openApiRoute } from './openapi.js';
import { auditLogRoute, operatorRoutes, tokenRoutes } from './operators.js';
import { createAuthenticator, DEFAULT_SECURITY, LoginThrottle, type SecuritySettings } from './security.js';
import { RESOURCES } from './resources.js';
import { sessionRoutes } from './sessions.js';
import { widgetTokenRoute, type WidgetTokenSettings } from './widget-token.js';
import { sessionExportRoute } from './sessions-export.js';
import { statementRoutes } from './account-statement.js';
import type { ConsoleDeps } from './console-deps.js';
import { searchRoute } from './console-search.js';
import { dashboardRoutes } from './dashboard.js';
import { nasStatusRoute } from './nas-status.js';
import { replyPreviewRoutes } from './reply-preview.js';
import { subscriberOverviewRoute } from './subscriber-overview.js';
import { cancelScheduledTariffChangeRoute } from './tariff-changes.js';
import { traceRoutes } from './traces.js';
import type { ApiContext, ApiReply, ApiRoute, AuditedChange } from './route.js';
import { Router } from './router.js';

export { ApiError, ApiErrorCodes, type ApiErrorCode } from './errors.js';
export { API_PREFIX } from './crud.js';
export { OPENAPI_PATH } from './openapi.js';
export type { ConfigNasClient, ConsoleDeps } from './console-deps.js';

export interface ApiDeps {
  readonly store: Store;
  readonly changes: ChangeFeed;
  /**
   * The admin token (admin.token): the bootstrap admin's credential. Undefined: only operators sign in (with no
   * operator yet, every route but the public ones answers 401).
   */
  readonly token: string | undefined;
  /** Sessions, trusted proxies and sign-in throttling (admin.* of the configuration); defaults: DEFAULT_SECURITY. */
  readonly security?: Partial<SecuritySettings> | undefined;
  readonly log: Logger;
  /** Sends Disconnect-Requests for POST /sessions/{id}/disconnect; without it that route answers 503 COA_UNAVAILABLE. */
  readonly coa?: Pick<CoaClient, 'send'> | undefined;
  /** Signs billing-widget tokens (portal.widgetSecret); without a secret that route answers 404. */
  readonly widget?: WidgetTokenSettings | undefined;
  /** What the console's read routes need beyond the store (vendor profiles, config clients, time zone, currency). */
  readonly console?: ConsoleDeps | undefined;
  /** Live packet traces (the instance's trace hub); without it the trace routes answer 404. */
  readonly traces?: TraceService | undefined;
}

/** The caller of a public route: no operator, no permission beyond `public`. */
const ANONYMOUS = (address: string): Actor => ({ kind: 'anonymous', operatorId: null, login: 'anonymous', role: 'readonly', address });

export type ApiHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** Ends the streaming replies in progress (live dashboards), so a drain does not wait its deadline for them. */
  closeStreams(): void;
};

/** Every route the API serves and the OpenAPI document describing them, built once. */
export function createApiRoutes(
  options: { readonly coa?: Pick<CoaClient, 'send'> | undefined; readonly widget?: WidgetTokenSettings | undefined; readonly console?: ConsoleDeps | undefined; readonly traces?: TraceService | undefined } = {},
): { routes: readonly ApiRoute[]; openapi: Record<string, unknown> } {
  let documentText = '';
  const consoleDeps = options.console ?? {};
  const routes: ApiRoute[] = [
    ...RESOURCES.flatMap(crudRoutes),
    ...ledgerRoutes,
    ...sessionRoutes(options.coa),
    sessionExportRoute,
    ...accountingHeldRoutes,
    authLogRoute,
    ...statementRoutes(consoleDeps),
    searchRoute,
    subscriberOverviewRoute,
    cancelScheduledTariffChangeRoute,
    ...replyPreviewRoutes(consoleDeps),
    nasStatusRoute(consoleDeps),
    ...dashboardRoutes(consoleDeps),
    widgetTokenRoute(options.widget),
    ...authRoutes,
    ...operatorRoutes,
    ...tokenRoutes,
    auditLogRoute,
    ...traceRoutes(options.traces),
    openApiRoute(() => documentText),
  ];
  const openapi = buildOpenApi(routes, RESOURCES);
  documentText = JSON.stringify(openapi);
  return { routes, openapi };
}

/** Answers requests under /api/v1 and resolves true; resolves false for any other path (left to the caller). */
export function createApiHandler(deps: ApiDeps): ApiHandler {
  const log = deps.log.child({ component: 'admin-api' });
  const closing = new AbortController();
  const router = new Router(createApiRoutes({ coa: deps.coa, widget: deps.widget, console: deps.console, traces: deps.traces }).routes);
  const settings: SecuritySettings = { ...DEFAULT_SECURITY, ...deps.security, throttle: { ...DEFAULT_SECURITY.throttle, ...deps.security?.throttle } };
  const authenticator = createAuthenticator({ store: deps.store, bootstrapToken: deps.token, settings });
  const security = { settings, throttle: new LoginThrottle(settings.throttle) };

  const publish = async (event: ChangeEvent): Promise<void> => {
    try {
      await deps.changes.publish(event);
    } catch (err) {
      // The write is committed; failing the request would invite a retry that duplicates it.
      log.error({ err: loggableError(err), event }, 'change event not published; other instances may serve stale data');
    }
  };

  async function dispatch(req: IncomingMessage, method: string, path: string, search: string): Promise<ApiReply> {
    const match = router.match(method, path);
    const facts = authenticator.facts(req);
    let actor: Actor = ANONYMOUS(facts.address);
    let sessionIdHash: string | undefined;
    let csrfToken: string | undefined;
    if (!(match.kind === 'found' && match.route.permission === 'public')) {
      const authenticated = await authenticator.authenticate(req, method, facts);
      if (!authenticated) {
        throw new ApiError('UNAUTHORIZED', 'sign in (POST /api/v1/auth/login), or send Authorization: Bearer <token> with an operator API token or the admin token', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      actor = authenticated.actor;
      sessionIdHash = authenticated.sessionIdHash;
      csrfToken = authenticated.csrfToken;
    }
    if (match.kind === 'not-found') throw new ApiError('NOT_FOUND', `no route for ${path} (ids are positive integers)`);
    if (match.kind === 'method-not-allowed') {
      throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${match.allow.join(', ')}`, { headers: { allow: match.allow.join(', ') } });
    }
    const needed = match.route.permission;
    if (needed !== 'public' && needed !== 'authenticated' && !roleAllows(actor.role, needed)) {
      throw new ApiError('FORBIDDEN', `${match.route.operationId} needs the ${needed} permission, which the ${actor.role} role does not have`);
    }
    const who = auditActor(actor);
    const ctx: ApiContext = {
      actor,
      params: match.params,
      query: new URLSearchParams(search),
      store: deps.store,
      readBody: () => readJsonBody(req),
      publish,
      request: { ...facts, ...(sessionIdHash === undefined ? {} : { sessionIdHash }), ...(csrfToken === undefined ? {} : { csrfToken }) },
      security,
      log,
      audited: <T>(action: string, target: string | null, fn: (tx: Store) => Promise<AuditedChange<T>>) =>
        deps.store.transaction(async (tx) => {
          const change = await fn(tx);
          if (!change.skip) {
            await tx.audit.append({ ...who, action, target: change.target ?? target, before: redactSecrets(change.before), after: redactSecrets(change.after) });
          }
          return change.result;
        }),
      audit: async (action, target, change = {}) => {
        await deps.store.audit.append({ ...who, action, target, before: redactSecrets(change.before), after: redactSecrets(change.after) });
      },
      closing: closing.signal,
    };
    return match.route.handle(ctx);
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return false;
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    let status: number;
    try {
      const reply = await dispatch(req, method, path, q < 0 ? '' : url.slice(q + 1));
      status = reply.status;
      if (reply.stream) await sendStream(res, reply, reply.stream);
      else send(res, reply);
    } catch (err) {
      const apiError = toApiError(err, { onDelete: method === 'DELETE' });
      status = apiError.status;
      if (apiError.code === 'INTERNAL') log.error({ err: loggableError(err), method, path }, 'api request failed');
      else if (apiError.code === 'UNAVAILABLE') log.warn({ err: loggableError(err), method, path }, 'api request failed: database unavailable');
      if (res.headersSent) res.destroy();
      else send(res, { status, body: apiError.toJSON(), headers: apiError.headers });
    }
    // Never the body or the query: they can carry passwords and secrets.
    log.info({ method, path, status, durationMs: Number(process.hrtime.bigint() - started) / 1e6 }, 'api request');
    return true;
  };
  return Object.assign(handler, { closeStreams: () => closing.abort() });
}

function send(res: ServerResponse, reply: ApiReply): void {
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.bytes !== undefined) {
    res.writeHead(reply.status, { 'content-length': reply.bytes.length });
    res.end(reply.bytes);
  } else if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(reply.json) });
    res.end(reply.json);
  } else if (reply.body === undefined) {
    res.writeHead(reply.status);
    res.end();
  } else {
    sendJson(res, reply.status, reply.body);
  }
}

/** Streams a reply with backpressure; a client that goes away ends it quietly (and closes the source). */
async function sendStream(res: ServerResponse, reply: ApiReply, stream: AsyncIterable<string>): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  res.writeHead(reply.status, reply.headers);
  try {
    await pipeline(Readable.from(stream), res);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return;
    throw err;
  }
}

/** What of an unexpected error reaches the log: driver errors can carry row values in `detail` or `parameters`. */
function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}), stack: err.stack };
}
