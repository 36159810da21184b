/**
 * Graceful close for an HTTP listener that no client can hold open. `server.close()` alone waits for every
 * connection to end: one client that sends half a request and stays (or a keep-alive socket, or a stalled
 * upload) keeps the process alive for as long as the client likes after SIGTERM. At drain:
 *
 * 1. stop accepting; connections with no request being handled (idle keep-alive, a request whose headers have
 *    not all arrived) are closed at once: no handler runs for them, nothing is lost;
 * 2. requests being handled get until the deadline; their responses go out with `Connection: close` and the
 *    socket closes once they are sent;
 * 3. at the deadline whatever is left is destroyed.
 *
 * `trackForDrain` must be called when the server is created (it needs to see every connection and request);
 * a server that was not tracked still drains within the deadline, only less politely (step 2 waits for the
 * idle timeout of sockets that just finished a response).
 */
import type http from 'node:http';
import type { Socket } from 'node:net';

/** Timeouts for a listener facing clients that may stall: a request must arrive in full in bounded time. */
export const SERVER_TIMEOUTS = {
  /** The whole header block (slowloris). */
  headersTimeout: 10_000,
  /** The whole request, body included, from its first byte. */
  requestTimeout: 30_000,
  /** An idle keep-alive connection. */
  keepAliveTimeout: 5_000,
} as const;

/**
 * Node checks headersTimeout/requestTimeout every `connectionsCheckingInterval` (30 s by default), so a 10 s
 * limit could let a stalled request live 40 s: pass this to `http.createServer`.
 */
export const SERVER_OPTIONS: http.ServerOptions = { connectionsCheckingInterval: 1_000 };

/** Applies SERVER_TIMEOUTS (each may be overridden, e.g. shorter for the portal). */
export function applyServerTimeouts(server: http.Server, overrides: Partial<Record<keyof typeof SERVER_TIMEOUTS, number>> = {}): void {
  const t = { ...SERVER_TIMEOUTS, ...overrides };
  server.headersTimeout = t.headersTimeout;
  server.requestTimeout = t.requestTimeout;
  server.keepAliveTimeout = t.keepAliveTimeout;
}

interface Tracked {
  /** Sockets → the responses being produced on them (more than one with pipelining). */
  readonly sockets: Map<Socket, Set<http.ServerResponse>>;
  draining: boolean;
}

const tracked = new WeakMap<http.Server, Tracked>();

export function trackForDrain(server: http.Server): http.Server {
  if (tracked.has(server)) return server;
  const state: Tracked = { sockets: new Map(), draining: false };
  tracked.set(server, state);
  server.on('connection', (socket: Socket) => {
    if (state.draining) {
      socket.destroy();
      return;
    }
    state.sockets.set(socket, new Set());
    socket.once('close', () => state.sockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    let busy = state.sockets.get(socket);
    if (!busy) {
      busy = new Set();
      state.sockets.set(socket, busy);
    }
    const set = busy;
    set.add(res);
    if (state.draining) closeAfter(res);
    res.once('close', () => {
      set.delete(res);
      // Draining: the last response on this socket is out; the client gets no further turn.
      if (state.draining && set.size === 0) socket.destroySoon();
    });
  });
  return server;
}

function closeAfter(res: http.ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}

export interface DrainReport {
  /** Connections closed at once: idle, or their request not yet arrived in full. */
  readonly idle: number;
  /** Connections whose requests completed within the deadline. */
  readonly completed: number;
  /** Connections destroyed at the deadline with a request still being handled. */
  readonly destroyed: number;
}

/** Stops accepting and closes every connection within `timeoutMs` (see the module comment). */
export async function drainServer(server: http.Server, timeoutMs: number): Promise<DrainReport> {
  const closed = new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
  const state = tracked.get(server);
  if (!state) {
    // Untracked: Node closes the idle keep-alive sockets on close(); the rest is destroyed at the deadline.
    server.closeIdleConnections();
    const inTime = await within(closed, timeoutMs);
    if (!inTime) server.closeAllConnections();
    await closed;
    return { idle: 0, completed: 0, destroyed: inTime ? 0 : 1 };
  }
  state.draining = true;
  let idle = 0;
  for (const [socket, responses] of state.sockets) {
    if (responses.size === 0) {
      idle++;
      socket.destroy();
    } else {
      for (const res of responses) closeAfter(res);
    }
  }
  const busy = state.sockets.size - idle;
  if (await within(closed, timeoutMs)) return { idle, completed: busy, destroyed: 0 };
  const destroyed = state.sockets.size;
  for (const socket of state.sockets.keys()) socket.destroy();
  server.closeAllConnections();
  await closed;
  return { idle, completed: busy - destroyed, destroyed };
}

/** True when `p` settles within `ms`. */
async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
