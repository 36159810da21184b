#!/usr/bin/env node
/**
 * Writes console/src/api/schema.d.ts, the types of the console's API client, from the OpenAPI document of the
 * compiled routes (dist/src/http/api/index.js: run `npm run build` or `tsc -p tsconfig.build.json` first).
 * `npm run gen:api-types` does both. A test regenerates the file and fails when the committed one differs.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderApiTypes } from './api-types.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { createApiRoutes } = await import(pathToFileURL(join(root, 'dist', 'src', 'http', 'api', 'index.js')).href);
const out = join(root, 'console', 'src', 'api', 'schema.d.ts');
writeFileSync(out, await renderApiTypes(createApiRoutes().openapi));
process.stdout.write(`wrote ${out}\n`);
