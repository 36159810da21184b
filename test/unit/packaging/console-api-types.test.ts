/**
 * The console's API types (console/src/api/schema.d.ts) are the OpenAPI document of the routes as they are: this
 * regenerates them the way scripts/gen-api-types.mjs does and fails when the committed file differs, so a route
 * cannot change without the console's client seeing it (`npm run gen:api-types` rewrites the file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderApiTypes } from '../../../scripts/api-types.mjs';
import { createApiRoutes } from '../../../src/http/api/index.js';

const SCHEMA = join(import.meta.dirname, '../../../console/src/api/schema.d.ts');

describe('console API types', () => {
  it('are what openapi-typescript makes of the current OpenAPI document (run npm run gen:api-types)', async () => {
    const generated = await renderApiTypes(createApiRoutes().openapi);
    expect(readFileSync(SCHEMA, 'utf8') === generated, 'console/src/api/schema.d.ts is stale: run npm run gen:api-types').toBe(true);
  });
});
