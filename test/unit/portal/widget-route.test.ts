/** The admin API's widget-token route: off without a secret, bounded lifetimes, tokens the portal accepts. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/http/api/errors.js';
import type { ApiContext } from '../../../src/http/api/route.js';
import { WidgetTokens } from '../../../src/domain/widget-token.js';
import { widgetTokenRoute } from '../../../src/http/api/widget-token.js';
import type { Store } from '../../../src/domain/ports.js';
import { DEFAULT_SECURITY, LoginThrottle } from '../../../src/http/api/security.js';
import { createLogger } from '../../../src/observability/logger.js';

const SECRET = 'widget-route-secret-0123456789-abcdefghij';

function context(id: number, body: unknown, known: number[] = [7]): ApiContext {
  const store = { subscribers: { get: (sid: number) => Promise.resolve(known.includes(sid) ? { id: sid } : undefined) } } as unknown as Store;
  return {
    actor: { kind: 'bootstrap', operatorId: null, login: 'bootstrap', role: 'admin', address: '127.0.0.1' },
    params: { id },
    query: new URLSearchParams(),
    store,
    readBody: () => Promise.resolve(body),
    publish: () => Promise.resolve(),
    request: { address: '127.0.0.1', userAgent: null, secure: false },
    security: { settings: DEFAULT_SECURITY, throttle: new LoginThrottle(DEFAULT_SECURITY.throttle) },
    log: createLogger('silent'),
    // The route's change is the store's (no transaction to join here); the audit row is the API tests' concern.
    audited: async (_action, _target, fn) => (await fn(store)).result,
    audit: () => Promise.resolve(),
  };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('POST /api/v1/subscribers/{id}/widget-token', () => {
  it('is 404 while portal.widgetSecret is unset', async () => {
    const err = await failure(widgetTokenRoute({ secret: undefined, ttlSeconds: 3600 }).handle(context(7, {})));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/portal\.widgetSecret/);
  });

  it('issues a token the portal verifies, for the configured lifetime by default', async () => {
    const reply = await widgetTokenRoute({ secret: SECRET, ttlSeconds: 3600 }).handle(context(7, {}));
    expect(reply.status).toBe(201);
    const body = reply.body as { token: string; subscriberId: number; expiresAt: string };
    expect(body.subscriberId).toBe(7);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(3_590_000);
    expect(new WidgetTokens(SECRET).verify(body.token)).toMatchObject({ ok: true, claims: { subscriberId: 7 } });
  });

  it('refuses a lifetime beyond the configured one, and unknown subscribers', async () => {
    const route = widgetTokenRoute({ secret: SECRET, ttlSeconds: 3600 });
    expect((await failure(route.handle(context(7, { ttlSeconds: 3601 })))).code).toBe('VALIDATION_FAILED');
    expect((await failure(route.handle(context(7, { ttlSeconds: 10 })))).code).toBe('VALIDATION_FAILED');
    expect((await failure(route.handle(context(7, { lifetime: 60 })))).code).toBe('VALIDATION_FAILED');
    expect((await failure(route.handle(context(8, {})))).code).toBe('NOT_FOUND');
  });
});
