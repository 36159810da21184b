/**
 * The console's typed API client types from the admin API's OpenAPI document: one function shared by
 * scripts/gen-api-types.mjs (which writes console/src/api/schema.d.ts) and the test that regenerates the file and
 * compares it with the committed one (test/unit/console-api-types.test.ts), so the two cannot drift.
 */
import openapiTS, { astToString } from 'openapi-typescript';

export const HEADER = `/**
 * Generated from the admin API's OpenAPI document (GET /api/v1/openapi.json) by scripts/gen-api-types.mjs with
 * openapi-typescript. Do not edit: run \`npm run gen:api-types\` after changing a route.
 */

`;

/** The TypeScript declarations of the document's paths and components, as the committed file holds them. */
export async function renderApiTypes(document) {
  const ast = await openapiTS(structuredClone(document), { alphabetize: true, exportType: true, silent: true });
  return HEADER + astToString(ast);
}
