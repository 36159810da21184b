/**
 * The admin HTTP listener: Prometheus metrics, liveness and readiness. The admin REST API mounts here
 * too, and the operator console's files under /console/ (./console-static.ts). Errors are JSON
 * `{ "error": { "code", "message" } }`.
 */
import http from 'node:http';
import type { Logger } from '../observability/logger.js';
import { isConsolePath, type ConsoleHandler } from './console-static.js';
import { applyServerTimeouts, SERVER_OPTIONS, trackForDrain } from './drain.js';

export interface AdminServerOptions {
  readonly log: Logger;
  /** Metrics text in the Prometheus exposition format (aggregated across workers in cluster mode). */
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
  /** True while the RADIUS listeners are bound and not draining. */
  readonly ready: () => boolean;
  /** The admin REST API: answers what is under /api/v1 and returns false for anything else. */
  readonly api?: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  /** The operator console's files under /console (createConsoleHandler); without it /console is a 404. */
  readonly console?: ConsoleHandler;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** The listener, with bounded request timeouts and tracked for drainServer() (./drain.ts) at stop. */
export function createAdminServer(options: AdminServerOptions): http.Server {
  const { log } = options;
  const server = http.createServer(SERVER_OPTIONS, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (options.api && path.startsWith('/api/')) {
      options.api(req, res).then(
        (handled) => {
          if (!handled) sendError(res, 404, 'NOT_FOUND', `no route for ${path}`);
        },
        (err: unknown) => {
          log.error({ err, path }, 'admin API request failed');
          if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error');
        },
      );
      return;
    }
    if (options.console && isConsolePath(path)) {
      options.console(req, res, path).catch((err: unknown) => {
        log.error({ err, path }, 'console request failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error');
        else res.destroy();
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`);
    }
    switch (path) {
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz':
        return options.ready() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' });
      case '/metrics':
        options.metrics().then(
          ({ contentType, body }) => {
            res.writeHead(200, { 'content-type': contentType });
            res.end(body);
          },
          (err: unknown) => {
            log.error({ err }, 'metrics collection failed');
            sendError(res, 500, 'METRICS_FAILED', 'metrics collection failed');
          },
        );
        return;
      default:
        return sendError(res, 404, 'NOT_FOUND', `no route for ${path}`);
    }
  });
  // Node's defaults (60 s for the headers, 300 s for a request) let a stalled client pin a socket for minutes.
  applyServerTimeouts(server);
  return trackForDrain(server);
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
