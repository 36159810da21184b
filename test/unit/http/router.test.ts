import { describe, expect, it } from 'vitest';
import { openApiPath, parseId, Router, type RouteSpec } from '../../../src/http/api/router.js';

interface R extends RouteSpec {
  readonly name: string;
}

const routes: R[] = [
  { method: 'GET', pattern: '/api/v1/nas', name: 'list' },
  { method: 'POST', pattern: '/api/v1/nas', name: 'create' },
  { method: 'GET', pattern: '/api/v1/nas/:id', name: 'get' },
  { method: 'PATCH', pattern: '/api/v1/nas/:id', name: 'patch' },
  { method: 'DELETE', pattern: '/api/v1/nas/:id', name: 'delete' },
  { method: 'GET', pattern: '/api/v1/nas/stats', name: 'stats' },
  { method: 'GET', pattern: '/api/v1/accounts/:accountId/subscribers/:id', name: 'nested' },
];
const router = new Router(routes);

function found(method: string, path: string) {
  const m = router.match(method, path);
  if (m.kind !== 'found') throw new Error(`expected a match for ${method} ${path}, got ${m.kind}`);
  return { name: m.route.name, params: m.params };
}

describe('Router', () => {
  it('matches literal paths by method', () => {
    expect(found('GET', '/api/v1/nas')).toEqual({ name: 'list', params: {} });
    expect(found('POST', '/api/v1/nas')).toEqual({ name: 'create', params: {} });
  });

  it('parses :id parameters as positive integers', () => {
    expect(found('GET', '/api/v1/nas/42')).toEqual({ name: 'get', params: { id: 42 } });
    expect(found('DELETE', '/api/v1/nas/9007199254740991').params).toEqual({ id: Number.MAX_SAFE_INTEGER });
    expect(found('GET', '/api/v1/accounts/3/subscribers/7').params).toEqual({ accountId: 3, id: 7 });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(found('GET', '/api/v1/nas/stats').name).toBe('stats');
  });

  it.each(['0', '-1', '01', '1.5', 'abc', '1e3', '9007199254740992', '99999999999999999', '', ' 1', '0x10'])('does not match the id %j', (id) => {
    expect(router.match('GET', `/api/v1/nas/${id}`)).toEqual({ kind: 'not-found' });
  });

  it('answers method-not-allowed with every allowed method, in a stable order', () => {
    expect(router.match('PUT', '/api/v1/nas/1')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'PATCH', 'DELETE'] });
    expect(router.match('DELETE', '/api/v1/nas')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'POST'] });
  });

  it('does not match extra, missing or trailing segments', () => {
    for (const path of ['/api/v1', '/api/v1/', '/api/v1/nas/', '/api/v1/nas/1/extra', '/api/v1/NAS', '/api/v2/nas']) {
      expect(router.match('GET', path), path).toEqual({ kind: 'not-found' });
    }
  });

  it('refuses duplicate routes, including ones that differ only in the parameter name', () => {
    expect(() => new Router([...routes, { method: 'GET', pattern: '/api/v1/nas/:nasId', name: 'dup' }])).toThrow(/duplicate route GET/);
    expect(() => new Router([{ method: 'GET', pattern: 'api', name: 'x' }])).toThrow(/must start with/);
  });
});

describe('parseId', () => {
  it('accepts 1 … 2^53-1 in plain decimal only', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('9007199254740991')).toBe(9007199254740991);
    expect(parseId('9007199254740992')).toBeUndefined();
    expect(parseId('007')).toBeUndefined();
    expect(parseId('+7')).toBeUndefined();
  });
});

describe('openApiPath', () => {
  it('turns :params into {params}', () => {
    expect(openApiPath('/api/v1/accounts/:accountId/subscribers/:id')).toBe('/api/v1/accounts/{accountId}/subscribers/{id}');
  });
});
