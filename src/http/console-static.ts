/**
 * The operator console's files (dist/console, built by Vite from console/) under /console/ on the admin listener.
 * GET and HEAD only; `/console` redirects to `/console/`; a path that names no file and has no extension is a
 * client-side route of the app and gets index.html; a missing file (an asset, anything with an extension) is a
 * 404. Hashed assets (`assets/`) are cached for good, index.html never. Every answer carries the console's strict
 * CSP (only this origin's scripts, styles, images, fonts and connections; no inline code, no framing), nosniff and
 * no referrer. Paths are decoded once and must stay inside the directory: `..`, encoded slashes and NUL are 404s.
 */
import type http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const CONSOLE_PREFIX = '/console';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface ConsoleOptions {
  /** The built console (dist/console): index.html and assets/. */
  readonly dir: string;
  /** What the app needs to know before anyone signs in, served as /console/settings.json. */
  readonly settings: { readonly currency: string };
}

export type ConsoleHandler = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => Promise<void>;

function send(res: http.ServerResponse, head: boolean, status: number, headers: Record<string, string | number>, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': bytes.length });
  res.end(head ? undefined : bytes);
}

function sendError(res: http.ServerResponse, head: boolean, status: number, code: string, message: string): void {
  send(res, head, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, JSON.stringify({ error: { code, message } }));
}

async function regularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** True for paths under /console (and /console itself), which the returned handler answers. */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`);
}

export function createConsoleHandler(options: ConsoleOptions): ConsoleHandler {
  const root = resolve(options.dir);
  const index = resolve(root, 'index.html');
  const settings = JSON.stringify(options.settings);

  return async (req, res, path) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, head, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; use GET, HEAD`);
    }
    if (path === CONSOLE_PREFIX) {
      const q = (req.url ?? '').indexOf('?');
      res.writeHead(308, { ...SECURITY_HEADERS, location: `${CONSOLE_PREFIX}/${q < 0 ? '' : (req.url ?? '').slice(q)}`, 'content-length': 0 });
      res.end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path.slice(CONSOLE_PREFIX.length + 1));
    } catch {
      return sendError(res, head, 404, 'NOT_FOUND', `no file for ${path}`);
    }
    const segments = rel.split('/');
    if (rel.includes('\0') || rel.includes('\\') || segments.some((s) => s === '..' || s === '.')) return sendError(res, head, 404, 'NOT_FOUND', `no file for ${path}`);
    if (rel === 'settings.json') return send(res, head, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, settings);

    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return sendError(res, head, 404, 'NOT_FOUND', `no file for ${path}`);
    if (rel !== '' && file !== index && (await regularFile(file))) {
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      const cache = rel.startsWith('assets/') ? IMMUTABLE : 'no-cache';
      return send(res, head, 200, { 'content-type': type, 'cache-control': cache }, await readFile(file));
    }
    // A file the app refers to (an asset, anything with an extension) that is not there is a 404, not the app.
    const last = segments[segments.length - 1] ?? '';
    if (rel.startsWith('assets/') || (last.includes('.') && file !== index)) return sendError(res, head, 404, 'NOT_FOUND', `no file for ${path}`);
    let html: Buffer;
    try {
      html = await readFile(index);
    } catch {
      return sendError(res, head, 404, 'NOT_FOUND', 'the console is not built: run npm run build');
    }
    send(res, head, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, html);
  };
}
