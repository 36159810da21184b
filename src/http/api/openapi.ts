/**
 * The OpenAPI 3.1 document, generated from the router's routes and the field shapes the validator runs: every
 * request body's component schema is zod's JSON Schema of the route's shape (src/schema, z.toJSONSchema), so the
 * description cannot drift from what the API accepts.
 */
import { ApiErrorCodes, ApiErrorStatuses, type ApiErrorCode } from './errors.js';
import { MONEY_LIMIT, objectJsonSchema } from '../../schema/index.js';
import type { JsonSchema } from './fields.js';
import { authLogEntrySchema, authLogPageSchema } from './auth-log.js';
import { ACCOUNTING_HELD_SCHEMAS } from './accounting-held.js';
import { LEDGER_SCHEMAS } from './ledger.js';
import { DISCONNECT_PATTERN, SESSION_SCHEMAS } from './sessions.js';
import { EXPORTED_SESSION_SCHEMA } from './sessions-export.js';
import { API_PREFIX, PATCH_DESCRIPTION, schemaRef } from './crud.js';
import { outputKeys, SCHEDULED_TARIFF_CHANGE_SCHEMAS, type AnyResource } from './resources.js';
import type { ApiRoute } from './route.js';
import { openApiPath } from './router.js';
import { MAX_BODY_BYTES } from './body.js';
import { WIDGET_TOKEN_SCHEMAS } from './widget-token.js';
import { AUTH_SCHEMAS } from './auth-routes.js';
import { OPERATOR_SCHEMAS } from './operators.js';
import { STATEMENT_SCHEMAS } from './account-statement.js';
import { SEARCH_SCHEMAS } from './console-search.js';
import { DASHBOARD_SCHEMAS } from './dashboard.js';
import { NAS_STATUS_SCHEMAS } from './nas-status.js';
import { PREVIEW_SCHEMAS } from './reply-preview.js';
import { OVERVIEW_SCHEMAS } from './subscriber-overview.js';
import { TRACE_SCHEMAS } from './traces.js';

export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

/** Errors any authenticated route can answer with. */
const COMMON_ERRORS: readonly ApiErrorCode[] = ['UNAUTHORIZED', 'CSRF_FAILED', 'UNAVAILABLE', 'INTERNAL'];

/** What a route's caller can be answered besides its own errors: public, any signed-in caller, or a permission's. */
function commonErrors(route: ApiRoute): readonly ApiErrorCode[] {
  if (route.permission === 'public') return ['INTERNAL'];
  return route.permission === 'authenticated' ? COMMON_ERRORS : [...COMMON_ERRORS, 'FORBIDDEN'];
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', enum: Object.keys(ApiErrorCodes), description: 'Stable; see the table in docs/api.md.' },
        message: { type: 'string', description: 'For people; may change between releases.' },
        field: { type: 'string', description: 'The body field or query parameter the (first) problem is about.' },
        details: {
          type: 'array',
          description: 'VALIDATION_FAILED: every problem, the first of which is repeated in field and message.',
          items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

function withoutDefault(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'default'));
}

export function resourceSchemas(def: AnyResource): Record<string, JsonSchema> {
  const name = def.schemaName;
  const outputProps: Record<string, JsonSchema> = {};
  for (const key of outputKeys(def)) {
    const ro = def.readOnly[key];
    const field = def.fields[key];
    if (ro) outputProps[key] = { ...ro.schema, readOnly: true };
    else if (field) outputProps[key] = withoutDefault(field.jsonSchema());
  }
  return {
    [name]: { type: 'object', description: def.description, properties: outputProps, required: Object.keys(outputProps) },
    [`${name}Create`]: objectJsonSchema(def.fields, 'create'),
    [`${name}Patch`]: objectJsonSchema({ ...def.fields, ...def.patchOptions }, 'patch', PATCH_DESCRIPTION),
    [`${name}Page`]: {
      type: 'object',
      required: ['items', 'total', 'limit', 'offset'],
      properties: {
        items: { type: 'array', items: schemaRef(name) },
        total: { type: 'integer', minimum: 0 },
        limit: { type: 'integer', minimum: 1 },
        offset: { type: 'integer', minimum: 0 },
      },
    },
  };
}

function errorStatus(code: ApiErrorCode, route: ApiRoute): number {
  if (code === 'REFERENCE') return route.method === 'DELETE' ? 409 : 422;
  return ApiErrorStatuses[code][0] ?? ApiErrorCodes[code].status;
}

/** Whether a request body schema takes money (a property bounded by the money limit): AMOUNT_OUT_OF_RANGE applies. */
function takesMoney(schema: JsonSchema | undefined): boolean {
  return Object.values(schema?.properties ?? {}).some((p) => p.maximum === MONEY_LIMIT);
}

function operation(route: ApiRoute, schemas: Readonly<Record<string, JsonSchema>>): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const m of route.pattern.matchAll(/:(\w+)/g)) {
    parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
  }
  for (const [name, field] of Object.entries(route.query ?? {})) {
    const schema = field.jsonSchema();
    parameters.push({ name, in: 'query', required: false, description: schema.description, schema });
  }
  const responses: Record<string, unknown> = {};
  for (const success of route.alternative ? [route.success, route.alternative] : [route.success]) {
    const location = success.status === 201 && !('location' in success && success.location === false);
    responses[String(success.status)] = {
      description: success.description,
      ...('mediaTypes' in success && success.mediaTypes
        ? { content: Object.fromEntries(Object.entries(success.mediaTypes as Readonly<Record<string, JsonSchema>>).map(([type, schema]) => [type, { schema }])) }
        : success.schema
          ? { content: { 'application/json': { schema: success.schema } } }
          : {}),
      ...(location ? { headers: { Location: { schema: { type: 'string' }, description: 'The path of the new resource.' } } } : {}),
    };
  }
  const byStatus = new Map<number, ApiErrorCode[]>();
  // Every route writing money can answer AMOUNT_OUT_OF_RANGE, whether or not its definition lists it (the CRUD ones).
  const money: ApiErrorCode[] = route.requestBody !== undefined && takesMoney(schemas[route.requestBody]) ? ['AMOUNT_OUT_OF_RANGE'] : [];
  for (const code of new Set([...route.errors, ...money, ...commonErrors(route)])) {
    const status = errorStatus(code, route);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((c) => `${c}: ${ApiErrorCodes[c].description}`).join('; '),
      content: { 'application/json': { schema: schemaRef('Error') } },
      ...(status === 401 ? { headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer' } } } } : {}),
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.requestBody
      ? {
          requestBody: {
            required: true,
            description: `JSON, at most ${MAX_BODY_BYTES} bytes. Unknown fields are refused.`,
            content: { 'application/json': { schema: schemaRef(route.requestBody) } },
          },
        }
      : {}),
    responses,
    ...(route.permission === 'public' ? { security: [] } : {}),
  };
}

export function buildOpenApi(routes: readonly ApiRoute[], resources: readonly AnyResource[]): Record<string, unknown> {
  const schemas: Record<string, JsonSchema> = {
    Error: errorSchema,
    AuthLogEntry: authLogEntrySchema,
    AuthLogPage: authLogPageSchema,
    ...LEDGER_SCHEMAS,
    ...SESSION_SCHEMAS,
    ...ACCOUNTING_HELD_SCHEMAS,
    ExportedSession: EXPORTED_SESSION_SCHEMA,
    ...STATEMENT_SCHEMAS,
    ...SEARCH_SCHEMAS,
    ...OVERVIEW_SCHEMAS,
    ...PREVIEW_SCHEMAS,
    ...NAS_STATUS_SCHEMAS,
    ...DASHBOARD_SCHEMAS,
    ...SCHEDULED_TARIFF_CHANGE_SCHEMAS,
  };
  for (const def of resources) Object.assign(schemas, resourceSchemas(def));
  Object.assign(schemas, WIDGET_TOKEN_SCHEMAS, AUTH_SCHEMAS, OPERATOR_SCHEMAS, TRACE_SCHEMAS);
  // A body's schema is always the one generated from the shape its handler validates with.
  for (const route of routes) {
    if (route.requestBody !== undefined && route.body) schemas[route.requestBody] = objectJsonSchema(route.body.shape, route.body.mode, route.body.description);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.pattern);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, schemas) };
  }
  // A failed Disconnect answers the error and the NAS's outcome together.
  const disconnectFailed = (paths[openApiPath(DISCONNECT_PATTERN)]?.post as { responses?: Record<string, { content?: unknown }> } | undefined)?.responses?.['502'];
  if (disconnectFailed) disconnectFailed.content = { 'application/json': { schema: schemaRef('DisconnectFailure') } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tollgate admin API',
      version: '1.0.0',
      description: 'Manage NAS clients, tariffs, accounts and subscribers; take payments, adjustments and credits; look up and disconnect sessions; review held accounting. Money is integer minor units within ±10^15. Errors are `{ "error": { "code", "message", "field"?, "details"? } }`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [
      ...resources.map((r) => ({ name: r.schemaName, description: r.description })),
      { name: 'Ledger', description: 'Payments, adjustments, temporary credits and account statements. Money is integer minor units.' },
      { name: 'Sessions', description: 'Accounting sessions: lists, who had an IP address at an instant, the history export (CSV or JSON), Disconnect-Requests.' },
      { name: 'AuthLog', description: 'Authentication results.' },
      { name: 'Console', description: "The operator console's read side: search, the support page, reply previews, NAS status, the dashboard (docs/console.md)." },
      { name: 'Accounting', description: 'The held-for-review queue: accounting increments no link could carry, held instead of charged until an operator approves or discards them.' },
      { name: 'Auth', description: 'Signing in to the console (the tg_session cookie and its CSRF token), who am I, one’s own password and second factor.' },
      { name: 'Operators', description: 'The people who run the console: logins, roles, disabling, password resets.' },
      { name: 'Tokens', description: "Operators' API tokens (Authorization: Bearer tg_<id>_<secret>)." },
      { name: 'Audit', description: 'Who changed what, when, from where: every write, sign-ins and their failures.' },
      { name: 'Traces', description: 'Live packet traces of one User-Name or one NAS: requests, replies and dropped packets, decoded, secrets hidden, as Server-Sent Events.' },
      { name: 'Meta', description: 'This document.' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: "An operator's API token (tg_<id>_<secret>, POST /api/v1/tokens), or the bootstrap admin token (admin.token or TOLLGATE_ADMIN_TOKEN)." },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'tg_session', description: 'A console session (POST /api/v1/auth/login); unsafe methods also need the X-CSRF-Token header.' },
      },
      schemas,
    },
  };
}

/** The route that serves the document itself (no token needed). */
export function openApiRoute(documentText: () => string): ApiRoute {
  return {
    method: 'GET',
    pattern: OPENAPI_PATH,
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document (no token needed)',
    tag: 'Meta',
    permission: 'public',
    success: { status: 200, description: 'The OpenAPI document', schema: { type: 'object' } },
    errors: [],
    handle: () => Promise.resolve({ status: 200, json: documentText() }),
  };
}
