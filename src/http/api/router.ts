/**
 * A small method + path router. Patterns are compiled once: `/api/v1/subscribers/:id` has one literal segment
 * per part and a parameter that only matches a positive integer id (1 … 2^53-1, no sign, no leading zero), so a
 * malformed id is a 404 before any handler runs. A path that matches with another method is a 405 with Allow.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Literal segments and `:name` parameters, e.g. `/api/v1/nas/:id`. */
  readonly pattern: string;
}

export type RouteMatch<R> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, number>> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

type Segment = { readonly literal: string } | { readonly param: string };

interface Compiled<R> {
  readonly route: R;
  readonly segments: readonly Segment[];
  readonly params: number;
}

const ID = /^[1-9]\d{0,15}$/;

/** A positive safe integer from its decimal text, or undefined. */
export function parseId(text: string): number | undefined {
  if (!ID.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export class Router<R extends RouteSpec> {
  private readonly compiled: readonly Compiled<R>[];

  constructor(readonly routes: readonly R[]) {
    const seen = new Set<string>();
    const compiled = routes.map((route) => {
      if (!route.pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${route.pattern}`);
      const segments: Segment[] = route.pattern
        .slice(1)
        .split('/')
        .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
      const shapeKey = `${route.method} /${segments.map((s) => ('param' in s ? ':' : s.literal)).join('/')}`;
      if (seen.has(shapeKey)) throw new Error(`duplicate route ${route.method} ${route.pattern}`);
      seen.add(shapeKey);
      return { route, segments, params: segments.filter((s) => 'param' in s).length };
    });
    // Literal segments win over parameters (a later `/nas/count` would not be shadowed by `/nas/:id`).
    this.compiled = [...compiled].sort((a, b) => a.params - b.params);
  }

  match(method: string, path: string): RouteMatch<R> {
    const parts = path.slice(1).split('/');
    const allow: HttpMethod[] = [];
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method === method) return { kind: 'found', route: c.route, params };
      if (!allow.includes(c.route.method)) allow.push(c.route.method);
    }
    if (allow.length === 0) return { kind: 'not-found' };
    return { kind: 'method-not-allowed', allow: HTTP_METHODS.filter((m) => allow.includes(m)) };
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, number> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, number> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const part = parts[i];
    if (seg === undefined || part === undefined) return undefined;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      const id = parseId(part);
      if (id === undefined) return undefined;
      params[seg.param] = id;
    }
  }
  return params;
}

/** `/api/v1/nas/:id` → `/api/v1/nas/{id}` (OpenAPI path templating). */
export function openApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}
