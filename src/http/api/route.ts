/**
 * What a route is: the router's method + pattern, the OpenAPI description of the operation (generated from the
 * same field shapes the handler validates with) and the handler.
 *
 * Every write is audited in its own transaction (docs/console.md, The audit log), in one line:
 *
 * @example
 * const row = await ctx.audited('tariff.update', `tariff:${id}`, async (tx) => {
 *   const after = await tx.tariffs.update(id, patch);   // through tx, never ctx.store
 *   return { result: after, before, after };            // before/after: API views; secrets are redacted
 * });
 * await ctx.publish({ kind: 'tariff', id });             // after the commit
 *
 * `audited` runs `fn` in ctx.store.transaction and appends the audit row (who: ctx.actor; the action; the
 * target, or `target` of fn's answer when only the change knows it, e.g. a created row's id) through the same
 * transaction: if `fn` throws, neither the change nor the row is written. `skip: true` writes no row (a change
 * that changed nothing, e.g. a payment's redelivery). `ctx.audit` writes a row by itself, for what has no
 * transaction to join (a Disconnect-Request's outcome, a failed sign-in).
 */
import type { Actor, Permission } from '../../domain/operators.js';
import type { ChangeEvent, Store } from '../../domain/ports.js';
import type { Logger } from '../../observability/logger.js';
import type { ApiErrorCode } from './errors.js';
import type { LoginThrottle, RequestFacts, SecuritySettings } from './security.js';
import type { JsonSchema } from './fields.js';
import type { RouteSpec } from './router.js';
import type { BodyMode, Shape } from './validate.js';

export interface ApiContext {
  readonly params: Readonly<Record<string, number>>;
  readonly query: URLSearchParams;
  readonly store: Store;
  /** Who sends the request (checked against the route's permission before the handler runs). */
  readonly actor: Actor;
  /** The parsed JSON body (`{}` when the request has none). Throws ApiError for 413, 415 and bad JSON. */
  readBody(): Promise<unknown>;
  /** Publishes a change after a committed write; a failure is logged, not returned to the client. */
  publish(event: ChangeEvent): Promise<void>;
  /** Where the request came from (the client address is also actor.address) and whether it came over TLS. */
  readonly request: RequestFacts & {
    /** The digest of the console session that authenticated the request (actor.kind `session`). */
    readonly sessionIdHash?: string;
    /** That session's CSRF token (GET /auth/me answers it, so a reloaded console can send it again). */
    readonly csrfToken?: string;
  };
  readonly security: { readonly settings: SecuritySettings; readonly throttle: LoginThrottle };
  readonly log: Logger;
  /** The change `fn` makes through `tx` and its audit row, in one transaction (the file header shows how). */
  audited<T>(action: string, target: string | null, fn: (tx: Store) => Promise<AuditedChange<T>>): Promise<T>;
  /** An audit row of its own (no change to join): a Disconnect-Request's outcome, a failed sign-in. */
  audit(action: string, target: string | null, change?: { readonly before?: unknown; readonly after?: unknown }): Promise<void>;
  /** Aborted when the listener drains: a long-lived stream (the live dashboard) ends then instead of holding it. */
  readonly closing?: AbortSignal;
}

/** What the `fn` of ApiContext.audited answers: its result, the rows before and after, a late target. */
export interface AuditedChange<T> {
  readonly result: T;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The target when only the change knows it (`subscriber:42` of a created subscriber). */
  readonly target?: string;
  /** True: nothing changed, write no audit row. */
  readonly skip?: boolean;
}

export interface ApiReply {
  readonly status: number;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is, as application/json (a document serialised once). */
  readonly json?: string;
  /** Sent as is (a file: a CSV or PDF export); `headers` names the content-type. */
  readonly bytes?: Buffer;
  /** Sent chunk by chunk with backpressure (an export); `headers` names the content-type. */
  readonly stream?: AsyncIterable<string>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiRoute extends RouteSpec {
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /**
   * The permission the caller's role needs (src/domain/operators.ts); `public` is served without credentials
   * (the OpenAPI document, the login), `authenticated` to any signed-in caller (who am I, logout).
   */
  readonly permission: Permission | 'public' | 'authenticated';
  /** Query parameters, validated with parseQuery. */
  readonly query?: Shape;
  /** `#/components/schemas/<name>` of the JSON request body. */
  readonly requestBody?: string;
  /** The shape the body is validated with: the OpenAPI document generates `requestBody`'s schema from it. */
  readonly body?: { readonly shape: Shape; readonly mode: BodyMode; readonly description?: string };
  readonly success: {
    readonly status: 200 | 201 | 204;
    readonly description: string;
    readonly schema?: JsonSchema;
    /** False when a 201 sets no Location header (the created row has no URL of its own). */
    readonly location?: false;
    /** The response body per media type, when it is not (only) application/json with `schema`. */
    readonly mediaTypes?: Readonly<Record<string, JsonSchema>>;
  };
  /** Another success answer of the same operation (an idempotent retry answered 200 instead of 201). */
  readonly alternative?: { readonly status: 200 | 201 | 204; readonly description: string; readonly schema?: JsonSchema };
  /** The error codes this operation can answer with, besides the ones every route can (401, 500, 503). */
  readonly errors: readonly ApiErrorCode[];
  handle(ctx: ApiContext): Promise<ApiReply>;
}

/** The id parameter of a `/:id` route (the router only matches positive integers). */
export function idParam(ctx: ApiContext): number {
  const id = ctx.params.id;
  if (id === undefined) throw new TypeError('route has no :id parameter');
  return id;
}
