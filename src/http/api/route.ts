/**
 * What a route is: the router's method + pattern, the OpenAPI description of the operation (generated from the
 * same field shapes the handler validates with) and the handler.
 */
import type { Actor, Permission } from '../../domain/operators.js';
import type { ChangeEvent, Store } from '../../domain/ports.js';
import type { ApiErrorCode } from './errors.js';
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
  /** Aborted when the listener drains: a long-lived stream (the live dashboard) ends then instead of holding it. */
  readonly closing?: AbortSignal;
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
