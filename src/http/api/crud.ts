/**
 * The five routes of a resource (list, create, get, patch, delete), built from its definition. Every write reads
 * the row first where the change event needs it (a renamed subscriber's old username), changes it and writes its
 * audit row in one transaction (`<auditName>.create|update|delete`, the API views before and after; a secret
 * field the body set is recorded as "[redacted]"), then publishes. A PATCH body may also carry the resource's
 * request-only patch options (the subscriber's `effective`): validated and documented with it, handed to the
 * repository's update apart from the patch, never stored as fields.
 */
import { REDACTED } from '../../domain/operators.js';
import { ApiError } from './errors.js';
import { integer } from './fields.js';
import { responseMapper, type AnyResource } from './resources.js';
import { idParam, type ApiRoute } from './route.js';
import { parseBody, parseQuery, type BodyMode, type PatchOf, type Shape } from './validate.js';

export const API_PREFIX = '/api/v1';

/** `limit` and `offset` of every list. */
export const pageQuery = {
  limit: integer({ description: 'Page size.', minimum: 1, maximum: 1000 }).withDefault(50),
  offset: integer({ description: 'Items to skip.', minimum: 0 }).withDefault(0),
};

export const WRITE_ERRORS = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE', 'CONFLICT', 'REFERENCE'] as const;

/** What a PATCH body is, in the OpenAPI document. */
export const PATCH_DESCRIPTION = 'Any subset of the fields; null clears a nullable one.';

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export function crudRoutes(def: AnyResource): ApiRoute[] {
  const collection = `${API_PREFIX}/${def.path}`;
  const item = `${collection}/:id`;
  const toResponse = responseMapper(def);
  const readOnly = Object.fromEntries(Object.entries(def.readOnly).map(([k, f]) => [k, f.message]));
  const listQuery: Shape = { ...pageQuery, ...def.filters };
  const name = def.schemaName;

  const validated = (body: unknown, mode: BodyMode): PatchOf<Shape> => {
    const input = mode === 'create' ? parseBody(def.fields, body, 'create', readOnly) : parseBody(def.fields, body, 'patch', readOnly);
    const issues = def.crossCheck?.(input, mode) ?? [];
    if (issues.length > 0) throw ApiError.validation(issues);
    return input;
  };
  // A PATCH body is the fields and the request-only patch options together (one validation, one list of
  // issues, unknown fields refused), then split: the options never reach the stored patch.
  const options = def.patchOptions ?? {};
  const patchShape: Shape = { ...def.fields, ...options };
  const validatedPatch = (body: unknown): { patch: PatchOf<Shape>; options: Record<string, unknown> } => {
    const all = parseBody(patchShape, body, 'patch', readOnly) as Record<string, unknown>;
    const patch = Object.fromEntries(Object.entries(all).filter(([k]) => !Object.hasOwn(options, k)));
    const given = Object.fromEntries(Object.entries(all).filter(([k]) => Object.hasOwn(options, k)));
    const chosen = parseBody(options, given, 'create');
    const issues = [...(def.crossCheck?.(patch, 'patch') ?? []), ...(def.checkPatchOptions?.(patch, chosen) ?? [])];
    if (issues.length > 0) throw ApiError.validation(issues);
    return { patch, options: chosen };
  };
  const notFound = (id: number) => new ApiError('NOT_FOUND', `no ${def.title} with id ${id}`);
  const audit = def.auditName;
  /** The API view of a row, with "[redacted]" for each write-only (secret) field the body set. */
  const auditView = (row: object, input: object = {}): Record<string, unknown> => ({
    ...toResponse(row),
    ...Object.fromEntries(Object.keys(input).filter((k) => def.fields[k]?.writeOnly).map((k) => [k, REDACTED])),
  });

  return [
    {
      method: 'GET',
      permission: 'read',
      pattern: collection,
      operationId: `list${name}`,
      summary: `List ${def.title}s`,
      tag: name,
      query: listQuery,
      success: { status: 200, description: `A page of ${def.title}s`, schema: schemaRef(`${name}Page`) },
      errors: ['VALIDATION_FAILED'],
      async handle(ctx) {
        const { limit, offset, ...filter } = parseQuery(listQuery, ctx.query) as { limit: number; offset: number } & Record<string, unknown>;
        const page = await def.repository(ctx.store).list({ limit, offset }, filter);
        return { status: 200, body: { items: page.items.map(toResponse), total: page.total, limit, offset } };
      },
    },
    {
      method: 'POST',
      permission: def.writePermission,
      pattern: collection,
      operationId: `create${name}`,
      summary: `Create a ${def.title}`,
      tag: name,
      requestBody: `${name}Create`,
      body: { shape: def.fields, mode: 'create' },
      success: { status: 201, description: `The created ${def.title}; Location names it`, schema: schemaRef(name) },
      errors: [...WRITE_ERRORS],
      async handle(ctx) {
        const input = validated(await ctx.readBody(), 'create');
        const row = await ctx.audited(`${audit}.create`, null, async (tx) => {
          const created = await def.repository(tx, { operatorId: ctx.actor.operatorId }).create(input);
          return { result: created, target: `${audit}:${created.id}`, after: auditView(created, input) };
        });
        await ctx.publish(def.changeEvent(row, undefined));
        return { status: 201, body: toResponse(row), headers: { location: `${collection}/${row.id}` } };
      },
    },
    {
      method: 'GET',
      permission: 'read',
      pattern: item,
      operationId: `get${name}`,
      summary: `Get one ${def.title}`,
      tag: name,
      success: { status: 200, description: `The ${def.title}`, schema: schemaRef(name) },
      errors: ['NOT_FOUND'],
      async handle(ctx) {
        const id = idParam(ctx);
        const row = await def.repository(ctx.store).get(id);
        if (!row) throw notFound(id);
        return { status: 200, body: toResponse(row) };
      },
    },
    {
      method: 'PATCH',
      permission: def.writePermission,
      pattern: item,
      operationId: `update${name}`,
      summary: `Change some fields of a ${def.title}`,
      tag: name,
      requestBody: `${name}Patch`,
      body: { shape: patchShape, mode: 'patch', description: PATCH_DESCRIPTION },
      success: { status: 200, description: `The ${def.title} after the change`, schema: schemaRef(name) },
      errors: ['NOT_FOUND', ...WRITE_ERRORS],
      async handle(ctx) {
        const id = idParam(ctx);
        const { patch, options: patchOptions } = validatedPatch(await ctx.readBody());
        type Row = { readonly id: number };
        const { before, after } = await ctx.audited<{ before: Row; after: Row | undefined }>(`${audit}.update`, `${audit}:${id}`, async (tx) => {
          const repo = def.repository(tx, { operatorId: ctx.actor.operatorId });
          const old = await repo.get(id);
          if (!old) throw notFound(id);
          // Nothing to change: answer with the row as it is, without a write, an audit row or an event.
          if (Object.keys(patch).length === 0) return { result: { before: old, after: undefined }, skip: true };
          const changed = await repo.update(id, patch, patchOptions);
          if (!changed) throw notFound(id);
          return { result: { before: old, after: changed }, before: auditView(old), after: auditView(changed, patch) };
        });
        if (!after) return { status: 200, body: toResponse(before) };
        await ctx.publish(def.changeEvent(after, before));
        return { status: 200, body: toResponse(after) };
      },
    },
    {
      method: 'DELETE',
      permission: def.writePermission,
      pattern: item,
      operationId: `delete${name}`,
      summary: `Delete a ${def.title}`,
      tag: name,
      success: { status: 204, description: 'Deleted' },
      errors: ['NOT_FOUND', 'REFERENCE'],
      async handle(ctx) {
        const id = idParam(ctx);
        const before = await ctx.audited(`${audit}.delete`, `${audit}:${id}`, async (tx) => {
          const repo = def.repository(tx, { operatorId: ctx.actor.operatorId });
          const old = await repo.get(id);
          if (!old || !(await repo.delete(id))) throw notFound(id);
          return { result: old, before: auditView(old) };
        });
        await ctx.publish(def.changeEvent(before, undefined));
        return { status: 204 };
      },
    },
  ];
}
