/**
 * Every RadiusError code is either raised somewhere in src/ or listed here as reserved, with why; and every code
 * has a description (the registry doubles as the documentation of the transport's drop reasons).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RadiusError, RadiusErrorCodes, type RadiusErrorCode } from '../../../src/radius/index.js';

/** Codes kept for the transport's drop reasons and for strict callers, not raised by the protocol core itself. */
const RESERVED: Partial<Record<RadiusErrorCode, string>> = {
  RADIUS_BAD_VSA: 'decodeAttributes keeps unparseable VSAs raw instead of throwing; kept for strict callers',
  RADIUS_UNKNOWN_CODE: 'transport: packet code not served on the receiving port',
  RADIUS_BAD_AUTHENTICATOR: 'transport: crypto.ts verify* return false; the transport names the drop',
  RADIUS_MISSING_MESSAGE_AUTHENTICATOR: 'transport: require_message_authenticator policy (BlastRADIUS)',
  RADIUS_PROXY_STATE_WITHOUT_MA: 'transport: limit_proxy_state policy (BlastRADIUS)',
  RADIUS_EAP_WITH_PASSWORD: 'transport/aaa: EAP-Message together with a password attribute',
};

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

  it.each(Object.keys(RadiusErrorCodes) as RadiusErrorCode[])('%s is raised in src/ or reserved, and described', (code) => {
    expect(RadiusErrorCodes[code].length).toBeGreaterThan(10);
    const used = text.includes(`'${code}'`) || text.includes(`"${code}"`);
    expect(used || RESERVED[code] !== undefined, `${code} is neither used in src/ nor listed as reserved`).toBe(true);
  });

  it('lists no reserved code that does not exist', () => {
    for (const code of Object.keys(RESERVED)) expect(code in RadiusErrorCodes).toBe(true);
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
