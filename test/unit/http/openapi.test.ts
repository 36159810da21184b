/**
 * The OpenAPI document is generated from the routes and field shapes; these checks keep it complete.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { objectJsonSchema } from '../../../src/schema/index.js';
import { createApiRoutes } from '../../../src/http/api/index.js';
import { outputKeys, RESOURCES } from '../../../src/http/api/resources.js';
import { openApiPath, Router } from '../../../src/http/api/router.js';

const { routes, openapi } = createApiRoutes();
const doc = JSON.parse(JSON.stringify(openapi)) as {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, { properties: Record<string, { writeOnly?: boolean; readOnly?: boolean }>; required?: string[]; additionalProperties?: boolean }>; securitySchemes: Record<string, unknown> };
  security: unknown[];
};

/** Every `$ref` in the document. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v)));
  }
  return [];
}

describe('openapi.json', () => {
  it('is OpenAPI 3.1 with the bearer scheme or the session cookie applied by default', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.components.securitySchemes.sessionCookie).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'tg_session' }));
    expect(doc.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
  });

  it.each(routes.map((r) => [r.method, r.pattern] as const))('describes %s %s', (method, pattern) => {
    const op = doc.paths[openApiPath(pattern)]?.[method.toLowerCase()];
    expect(op, `${method} ${pattern} missing`).toBeDefined();
    if (pattern.includes(':id')) expect(op?.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }));
  });

  it('has every documented operation served by the router (ids filled in)', () => {
    const router = new Router(routes);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const concrete = path.replace(/\{\w+\}/g, '1');
        const match = router.match(method.toUpperCase(), concrete);
        expect(match.kind, `${method.toUpperCase()} ${concrete}`).toBe('found');
        if (match.kind === 'found') expect(match.route.operationId).toBe(op.operationId);
      }
    }
  });

  it('documents the session export as CSV and JSON, with its required range', () => {
    const op = doc.paths['/api/v1/sessions/export']!.get! as unknown as {
      responses: Record<string, { content?: Record<string, unknown> }>;
      parameters: { name: string; description: string }[];
    };
    expect(Object.keys(op.responses['200']!.content!).sort()).toEqual(['application/json', 'text/csv']);
    expect(op.parameters.map((p) => p.name)).toEqual(['from', 'to', 'format', 'username', 'ip']);
    expect(op.parameters.find((p) => p.name === 'from')?.description).toMatch(/^Required\./);
    expect(op.responses['400']).toBeDefined();
  });

  it('has no operation without a route, and unique operation ids', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, id: op.operationId })));
    expect(ops).toHaveLength(routes.length);
    expect(new Set(ops.map((o) => o.id)).size).toBe(ops.length);
  });

  it('leaves only the document itself and the login open', () => {
    const open = Object.entries(doc.paths).flatMap(([path, methods]) => Object.values(methods).filter((op) => op.security !== undefined).map(() => path));
    expect(open.sort()).toEqual(['/api/v1/auth/login', '/api/v1/openapi.json']);
  });

  it('resolves every $ref', () => {
    for (const ref of refs(doc)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });

  it.each(RESOURCES.map((r) => [r.schemaName, r] as const))('%s schemas follow the field definitions', (name, def) => {
    const out = doc.components.schemas[name]!;
    const create = doc.components.schemas[`${name}Create`]!;
    expect(Object.keys(out.properties)).toEqual(outputKeys(def));
    expect(Object.keys(create.properties)).toEqual(Object.keys(def.fields));
    expect(create.additionalProperties).toBe(false);
    for (const [key, field] of Object.entries(def.fields)) {
      if (field.writeOnly) {
        expect(out.properties[key], `${key} must not be in the ${name} response schema`).toBeUndefined();
        expect(create.properties[key]?.writeOnly).toBe(true);
      }
    }
    for (const key of Object.keys(def.readOnly)) {
      expect(out.properties[key]?.readOnly).toBe(true);
      expect(create.properties[key]).toBeUndefined();
    }
  });

  it('generates every request body schema from the shape its route validates with (zod)', () => {
    const withBody = routes.filter((r) => r.requestBody !== undefined);
    expect(withBody.length).toBeGreaterThanOrEqual(11);
    for (const route of withBody) {
      const body = route.body;
      expect(body, `${route.method} ${route.pattern} names a request body but no shape`).toBeDefined();
      if (!body) continue;
      const generated = doc.components.schemas[route.requestBody!];
      expect(generated).toEqual(JSON.parse(JSON.stringify(objectJsonSchema(body.shape, body.mode, body.description))));
      // Property by property, the schema is zod's own JSON Schema of the field the validator runs.
      for (const [key, field] of Object.entries(body.shape)) {
        const expected: Record<string, unknown> = { ...z.toJSONSchema(field.zod(body.mode), { io: 'input', unrepresentable: 'any' }) };
        delete expected.$schema;
        expect(generated?.properties[key], `${route.requestBody}.${key}`).toEqual(JSON.parse(JSON.stringify(expected)));
      }
      const required = body.mode === 'patch' ? [] : Object.entries(body.shape).filter(([, f]) => f.presence === 'required').map(([k]) => k);
      expect(generated?.required ?? [], route.requestBody).toEqual(required);
      expect(generated?.additionalProperties).toBe(false);
    }
  });

  it('documents what the validator refuses: host bits, IPv4-only framed IPs, the secret and username bounds', () => {
    const nas = doc.components.schemas.NasCreate!.properties as Record<string, { minLength?: number; maxLength?: number }>;
    expect(nas.secret).toMatchObject({ minLength: 8, maxLength: 128 });
    const sub = doc.components.schemas.SubscriberCreate!.properties as Record<string, { maxLength?: number; anyOf?: { format?: string }[] }>;
    expect(sub.username?.maxLength).toBe(253);
    expect(sub.framedIp?.anyOf?.[0]?.format).toBe('ipv4');
  });

  it('documents the 401, the 403 (permission, CSRF) and the error shape on protected routes', () => {
    const op = doc.paths['/api/v1/subscribers/{id}']!.patch!;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422', '500', '503']);
    expect(doc.paths['/api/v1/tariffs/{id}']!.delete!.responses['409']).toBeDefined();
  });
});
