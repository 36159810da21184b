/**
 * The ApiError registry: every code is documented in docs/api.md with its statuses, and raised in src/http/api.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiError, ApiErrorCodes, ApiErrorStatuses, toApiError, type ApiErrorCode } from '../../../src/http/api/errors.js';
import { StoreError } from '../../../src/domain/ports.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = readFileSync(join(root, 'docs/api.md'), 'utf8');
const codes = Object.keys(ApiErrorCodes) as ApiErrorCode[];

/** `| \`CODE\` | 409, 422 | meaning |` rows of the error table. */
function documentedCodes(): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const m of docs.matchAll(/^\| `([A-Z_]+)` \| ([\d, ]+) \| (.+) \|$/gm)) {
    rows.set(m[1]!, m[2]!.split(',').map((s) => Number(s.trim())));
  }
  return rows;
}

function apiSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? apiSources(join(dir, e.name)) : e.name.endsWith('.ts') && e.name !== 'errors.ts' ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe('ApiErrorCodes', () => {
  const documented = documentedCodes();
  const sources = apiSources(join(root, 'src/http/api')).join('\n');
  const errorsTs = readFileSync(join(root, 'src/http/api/errors.ts'), 'utf8');

  it.each(codes)('%s is documented in docs/api.md with its statuses', (code) => {
    expect(documented.get(code), `${code} has no row in the docs/api.md error table`).toEqual([...ApiErrorStatuses[code]].sort((a, b) => a - b));
    expect(ApiErrorCodes[code].description.length).toBeGreaterThan(10);
  });

  it.each(codes)('%s is raised somewhere', (code) => {
    // toApiError in errors.ts raises the store-derived codes; the rest are raised by the handler modules.
    const raised = sources.includes(`'${code}'`) || errorsTs.includes(`new ApiError('${code}'`);
    expect(raised, `${code} is never raised`).toBe(true);
  });

  it('documents no code that does not exist', () => {
    for (const code of documented.keys()) expect(codes, `docs/api.md lists ${code}`).toContain(code);
  });

  it('serialises code, message, field and details, and keeps the cause', () => {
    const cause = new Error('inner');
    const err = new ApiError('CONFLICT', 'username is already in use', { field: 'username', cause });
    expect(err.toJSON()).toEqual({ error: { code: 'CONFLICT', message: 'username is already in use', field: 'username' } });
    expect(err.status).toBe(409);
    expect(err.cause).toBe(cause);
    expect(ApiError.validation([{ field: 'a', message: 'a is bad' }, { field: 'b', message: 'b is bad' }]).toJSON()).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'a is bad', field: 'a', details: [{ field: 'a', message: 'a is bad' }, { field: 'b', message: 'b is bad' }] },
    });
  });
});

describe('toApiError', () => {
  it('maps StoreErrors to their API codes', () => {
    const conflict = toApiError(new StoreError('STORE_CONFLICT', 'username is already in use', 'username'), { onDelete: false });
    expect([conflict.code, conflict.status, conflict.field]).toEqual(['CONFLICT', 409, 'username']);
    const missing = toApiError(new StoreError('STORE_REFERENCE', 'accountId refers to a row that does not exist', 'accountId'), { onDelete: false });
    expect([missing.code, missing.status, missing.field]).toEqual(['REFERENCE', 422, 'accountId']);
    const inUse = toApiError(new StoreError('STORE_REFERENCE', 'still in use'), { onDelete: true });
    expect([inUse.code, inUse.status]).toEqual(['REFERENCE', 409]);
    expect(toApiError(new StoreError('STORE_NOT_FOUND', 'gone'), { onDelete: false }).status).toBe(404);
    const down = toApiError(new StoreError('STORE_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.5:5432'), { onDelete: false });
    expect([down.code, down.status, down.message]).toEqual(['UNAVAILABLE', 503, 'the database is unavailable; retry later']);
  });

  it('hides anything else behind a generic INTERNAL', () => {
    const err = toApiError(new Error('relation "nas" does not exist; secret=hunter22'), { onDelete: false });
    expect(err.code).toBe('INTERNAL');
    expect(err.status).toBe(500);
    expect(JSON.stringify(err.toJSON())).not.toContain('hunter22');
  });
});
