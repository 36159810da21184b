/**
 * Every RadiusError code is raised somewhere in src/ (thrown, or returned by the authenticity check that names a
 * drop), and every code has a description (the registry doubles as the documentation of the drop reasons). A code
 * nothing raises is removed, not kept in reserve.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RadiusError, RadiusErrorCodes, type RadiusErrorCode } from '../../../src/radius/index.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('RadiusErrorCodes', () => {
  const src = fileURLToPath(new URL('../../../src/', import.meta.url));
  const text = sources(src)
    .filter((f) => !f.endsWith(join('radius', 'errors.ts')))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

  it.each(Object.keys(RadiusErrorCodes) as RadiusErrorCode[])('%s is raised in src/ and described', (code) => {
    expect(RadiusErrorCodes[code].length).toBeGreaterThan(10);
    // Raised: `new RadiusError('X'`, a dictionary error `dictError(..., 'X'`, or returned as a drop reason `return 'X'`.
    const raised = new RegExp(`(new RadiusError\\(|dictError\\([^,]+, |return )'${code}'`).test(text);
    expect(raised, `${code} is never raised in src/`).toBe(true);
  });

  it('keeps the code, the default message and the cause', () => {
    const cause = new Error('inner');
    const err = new RadiusError('RADIUS_TOO_LONG', undefined, { cause });
    expect(err.code).toBe('RADIUS_TOO_LONG');
    expect(err.message).toBe(RadiusErrorCodes.RADIUS_TOO_LONG);
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('RadiusError');
  });
});
