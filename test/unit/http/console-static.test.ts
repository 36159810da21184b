/**
 * The console's files on the admin listener (src/http/console-static.ts): the CSP and security headers on every
 * answer, the client-side routes answered with index.html, caching (hashed assets for good, index.html never),
 * content types, 404 for missing assets, no way out of the directory (.., encoded slashes and dots, NUL,
 * backslashes), GET/HEAD only, and /console redirected to /console/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminServer, listen } from '../../../src/http/admin-server.js';
import { CONSOLE_CSP, createConsoleHandler } from '../../../src/http/console-static.js';
import { captureLog } from '../../helpers/log.js';
import { request } from '../../helpers/http.js';

const INDEX = '<!doctype html><title>console</title><script type="module" src="/console/assets/index-abc123.js"></script>';

describe('console static files', () => {
  const parent = mkdtempSync(join(tmpdir(), 'tollgate-console-'));
  const dir = join(parent, 'console');
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
    writeFileSync(join(dir, 'assets', 'style-abc123.css'), 'body{}');
    // A file next to the console directory that no path may reach.
    writeFileSync(join(parent, 'secret.txt'), 'the-content-outside');
    server = createAdminServer({
      log: captureLog().log,
      metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
      ready: () => true,
      console: createConsoleHandler({ dir, settings: { currency: 'RUB' } }),
    });
    port = await listen(server, 0, '127.0.0.1');
  });

  afterAll(() => {
    server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('serves index.html at /console/ with the strict CSP, nosniff, no referrer and no caching', async () => {
    const r = await request(port, '/console/');
    expect(r.status).toBe(200);
    expect(r.text).toBe(INDEX);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it("answers the app's client-side routes with index.html", async () => {
    for (const path of ['/console/subscribers/42', '/console/search?q=alice', '/console/network', '/console/index.html']) {
      const r = await request(port, path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).toBe(INDEX);
      expect(r.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('serves hashed assets with their content type, cached for good', async () => {
    const js = await request(port, '/console/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.text).toBe('console.log(1);');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    const css = await request(port, '/console/assets/style-abc123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await request(port, '/console/assets/index-abc123.js', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(r.headers.get('content-length')).toBe(String('console.log(1);'.length));
  });

  it('is a 404 for a missing asset or file, not the app', async () => {
    for (const path of ['/console/assets/index-gone.js', '/console/assets/nested/x', '/console/favicon.ico', '/console/robots.txt']) {
      const r = await request(port, path);
      expect(r.status, path).toBe(404);
      expect(r.json, path).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(r.headers.get('content-security-policy'), path).toBe(CONSOLE_CSP);
    }
  });

  it('never serves a file outside its directory', async () => {
    const attempts = [
      '/console/../console/../secret.txt',
      '/console/..%2fsecret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/%2E%2E%2Fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/secret.txt%00.js',
      '/console/%',
      '/console/./index.html',
    ];
    for (const path of attempts) {
      const r = await request(port, path);
      expect(r.text, path).not.toContain('the-content-outside');
      expect([400, 404], path).toContain(r.status);
    }
  });

  it('serves the settings the app needs before sign-in', async () => {
    const r = await request(port, '/console/settings.json');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ currency: 'RUB' });
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('redirects /console to /console/ and refuses other methods', async () => {
    const r = await request(port, '/console?x=1');
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/console/?x=1');
    const post = await request(port, '/console/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.json).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('leaves other paths to the listener', async () => {
    expect((await request(port, '/healthz')).status).toBe(200);
    expect((await request(port, '/consoles')).status).toBe(404);
  });

  it('says so when the console is not built', async () => {
    const bare = createAdminServer({
      log: captureLog().log,
      metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
      ready: () => true,
      console: createConsoleHandler({ dir: join(parent, 'not-built'), settings: { currency: 'USD' } }),
    });
    const barePort = await listen(bare, 0, '127.0.0.1');
    try {
      const r = await request(barePort, '/console/');
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: { code: 'NOT_FOUND', message: 'the console is not built: run npm run build' } });
    } finally {
      bare.close();
    }
  });
});
