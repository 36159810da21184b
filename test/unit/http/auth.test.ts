import { describe, expect, it } from 'vitest';
import { createTokenCheck } from '../../../src/http/api/auth.js';

describe('createTokenCheck', () => {
  const check = createTokenCheck('s3cret-admin-token-0001');

  it('accepts the token as a bearer credential, the scheme in any case', () => {
    expect(check('Bearer s3cret-admin-token-0001')).toBe(true);
    expect(check('bearer s3cret-admin-token-0001')).toBe(true);
    expect(check('Bearer   s3cret-admin-token-0001 ')).toBe(true);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    's3cret-admin-token-0001',
    'Basic s3cret-admin-token-0001',
    'Bearer s3cret-admin-token-000',
    'Bearer s3cret-admin-token-00011',
    'Bearer S3CRET-ADMIN-TOKEN-0001',
    'Bearer s3cret-admin-token-0001 extra',
  ])('refuses %j', (header) => {
    expect(check(header)).toBe(false);
  });
});
