/** requireMessageAuthenticator in the config file: true, false or auto, for the default and per client. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { validateConfig } from '../../../src/config/load.js';

const client = (extra: object) => ({ name: 'bras-1', address: '192.0.2.10', secret: 'a-secret-of-16-chars', ...extra });

describe('requireMessageAuthenticator in the config', () => {
  it('takes true, false and auto, per client and as the default (which stays true)', () => {
    expect(validateConfig({}, 'test').radius.requireMessageAuthenticator).toBe(true);
    expect(validateConfig({ radius: { requireMessageAuthenticator: 'auto' } }, 'test').radius.requireMessageAuthenticator).toBe('auto');
    // The environment gives text.
    expect(validateConfig({ radius: { requireMessageAuthenticator: 'false' } }, 'test').radius.requireMessageAuthenticator).toBe(false);
    const config = validateConfig({ clients: [client({ requireMessageAuthenticator: 'auto' }), client({ name: 'b2', address: '192.0.2.11' })] }, 'test');
    expect(config.clients.map((c) => c.requireMessageAuthenticator)).toEqual(['auto', undefined]);
  });

  it('refuses anything else, naming the key', () => {
    let err: unknown;
    try {
      validateConfig({ clients: [client({ requireMessageAuthenticator: 'yes' })] }, 'test');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('clients[0].requireMessageAuthenticator: must be true, false or auto, got string "yes"');
  });
});
