/**
 * Fault-test harness: a private PostgreSQL (initdb + pg_ctl, fsync on) and a private redis-server per test file,
 * on random free loopback ports, and the daemon as a real child process (dist/src/main.js) that the tests can
 * kill -9 and restart. The machine's shared PostgreSQL (5432) and Redis (6379) are never touched.
 *
 * Everything lives in one temporary directory (removed by destroy() unless KEEP_FAULT_DIRS=1, in which case the
 * daemon, PostgreSQL and Redis logs stay there for a post-mortem).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { apiClient } from '../helpers/api-client.js';

/** The checkout whose dist/ runs (FAULT_ROOT: another build of the project, e.g. a release being checked). */
export const ROOT = process.env.FAULT_ROOT ?? join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/main.js');
const CLI = join(ROOT, 'dist/src/cli.js');

export const SECRET = 'fault-test-secret-01';
export const ADMIN_TOKEN = 'fault-test-admin-token-0123456789';

/** initdb / pg_ctl: $PG_BIN, else /usr/local/bin, else the newest /usr/lib/postgresql/N/bin. */
function pgBin(): string | null {
  const candidates = [process.env.PG_BIN, '/usr/local/bin'];
  try {
    const versions = execFileSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    /* no Debian PostgreSQL */
  }
  return candidates.find((d) => d !== undefined && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

function which(cmd: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const PG_BIN = pgBin();
const REDIS_SERVER = which('redis-server');
const RUNUSER = which('runuser');
const isRoot = process.getuid?.() === 0;

/** Why the fault tests cannot run here (null when they can). */
export const unsupported: string | null = !PG_BIN
  ? 'initdb/pg_ctl not found (set PG_BIN)'
  : !REDIS_SERVER
    ? 'redis-server not found'
    : isRoot && !RUNUSER
      ? 'running as root without runuser (initdb refuses root)'
      : !existsSync(MAIN)
        ? 'dist/src/main.js missing (npm run build)'
        : null;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A port that was free a moment ago (bound to 127.0.0.1:0 and released). */
export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind({ address: '127.0.0.1', port: 0 }, () => resolve());
    });
    const { port } = s.address();
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Thrown from an `eventually` check to stop polling at once (a state that can never become right). */
export class Fatal extends Error {}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs` with its last error. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (err instanceof Fatal) throw err;
      last = err instanceof Error ? err.message : JSON.stringify(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

function run(cmd: string, args: string[], options: { asPostgres?: boolean; timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, argv] = options.asPostgres && isRoot ? [RUNUSER as string, ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    execFile(file, argv, { timeout: options.timeoutMs ?? 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A scratch directory the postgres user can write to when we run as root. */
export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-fault-'));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** A private PostgreSQL cluster: `initdb` into the temp dir, 127.0.0.1 on a random port, socket in the temp dir, fsync on. */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return join(this.dir, 'pgdata');
  }

  url(database = 'tollgate'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  static async create(dir: string): Promise<PrivatePostgres> {
    const port = await freePort('tcp');
    const db = new PrivatePostgres(dir, port);
    // --no-sync only skips initdb's own flush of the template files; the server below runs with fsync on.
    const init = await run(join(PG_BIN as string, 'initdb'), ['-D', db.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], { asPostgres: true });
    if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
    await db.start();
    await db.query('CREATE DATABASE tollgate', [], 'postgres');
    return db;
  }

  /** pg_ctl start (waits until it accepts connections). */
  async start(): Promise<void> {
    const opts = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      '-c fsync=on',
      '-c synchronous_commit=on',
      '-c max_connections=50',
      '-c shared_buffers=16MB',
    ].join(' ');
    const r = await run(join(PG_BIN as string, 'pg_ctl'), ['-D', this.dataDir, '-o', opts, '-l', join(this.dir, 'postgres.log'), '-w', '-t', '30', 'start'], { asPostgres: true });
    if (r.code !== 0) throw new Error(`pg_ctl start failed: ${r.stderr || r.stdout}\n${this.logTail()}`);
  }

  /** pg_ctl stop: `fast` disconnects every client and shuts down cleanly; `immediate` is a crash. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    const r = await run(join(PG_BIN as string, 'pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop'], { asPostgres: true });
    if (r.code !== 0 && !/not running|No such file/i.test(r.stderr)) throw new Error(`pg_ctl stop failed: ${r.stderr || r.stdout}`);
  }

  /** One statement on a fresh connection (so a read-only default or a restart never leaves a broken client behind). */
  async query<T = Record<string, unknown>>(text: string, params: unknown[] = [], database = 'tollgate'): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Statements in order on one fresh connection, each in its own implicit transaction (ALTER SYSTEM needs that). */
  async session(statements: readonly string[], database = 'tollgate'): Promise<void> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(join(this.dir, 'postgres.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
  }
}

/** A private redis-server child (no persistence) on a random port; stop() and start() keep the port. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  static async create(dir: string): Promise<PrivateRedis> {
    const r = new PrivateRedis(dir, await freePort('tcp'));
    await r.start();
    return r;
  }

  async start(): Promise<void> {
    const log = createWriteStream(join(this.dir, 'redis.log'), { flags: 'a' });
    const child = spawn(
      REDIS_SERVER as string,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await eventually(() => this.ping(), 10_000, `redis-server on ${this.port}`, 50);
  }

  /** PING over a raw socket: true on +PONG. */
  ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = net.connect(this.port, '127.0.0.1');
      const done = (ok: boolean): void => {
        s.destroy();
        resolve(ok);
      };
      s.setTimeout(500, () => done(false));
      s.on('error', () => done(false));
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', (d) => done(d.toString().startsWith('+PONG')));
    });
  }

  /** One command over a raw socket (RESP); returns the raw reply text. */
  command(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = net.connect(this.port, '127.0.0.1');
      let reply = '';
      s.setTimeout(1000, () => {
        s.destroy();
        resolve(reply);
      });
      s.on('error', reject);
      s.on('connect', () => s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
      s.on('data', (d) => {
        reply += d.toString();
        // Replies here are small: a complete line set is enough (a short wait keeps multi-part arrays whole).
        setTimeout(() => {
          s.destroy();
          resolve(reply);
        }, 20);
      });
    });
  }

  /** Stops the server (SIGTERM: it exits at once without persistence; SIGKILL to crash it). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
  }
}

export interface DaemonOptions {
  readonly name: string;
  readonly dir: string;
  readonly databaseUrl: string;
  readonly redisUrl?: string;
  /** Extra config keys, merged shallowly at the top level. */
  readonly extra?: Record<string, unknown>;
}

/** The daemon as a child process: `node dist/src/main.js` with TOLLGATE_CONFIG pointing at a JSON config. */
export class DaemonProcess {
  readonly logs: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  private child: ChildProcess | null = null;
  private logFile: WriteStream;

  private constructor(
    readonly name: string,
    readonly configPath: string,
    readonly ports: { auth: number; acct: number; admin: number; portal: number },
    logPath: string,
  ) {
    this.logFile = createWriteStream(logPath, { flags: 'a' });
  }

  static async create(options: DaemonOptions): Promise<DaemonProcess> {
    const ports = { auth: await freePort('udp'), acct: await freePort('udp'), admin: await freePort('tcp'), portal: await freePort('tcp') };
    const configPath = join(options.dir, `${options.name}.json`);
    const config = {
      dataDir: join(options.dir, `${options.name}-data`),
      log: { level: 'info' },
      database: { url: options.databaseUrl, poolSize: 4 },
      ...(options.redisUrl ? { redis: { url: options.redisUrl } } : {}),
      radius: { listen: ['127.0.0.1'], authPort: ports.auth, acctPort: ports.acct, workers: 1, replyCacheSeconds: 5 },
      admin: { listen: '127.0.0.1', port: ports.admin, token: ADMIN_TOKEN },
      // The captive portal listens too (0.0.0.0:8080 by default): a port of its own per instance.
      portal: { listen: '127.0.0.1', port: ports.portal },
      clients: [{ name: 'bras-1', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik' }],
      fees: { enabled: false },
      // The plans compress a session's 990 s of Acct-Session-Time into seconds of wall clock: widen the clock
      // tolerance so the plausibility check (docs/accounting.md rule 7) takes them as they are.
      accounting: { maxClockSkewSeconds: 3600 },
      shutdown: { drainTimeoutMs: 2000 },
      ...options.extra,
    };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const d = new DaemonProcess(options.name, configPath, ports, join(options.dir, `${options.name}.log`));
    await d.start();
    return d;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits for its `tollgate started` line (20 s). */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TOLLGATE_')));
    const child = spawn(process.execPath, [MAIN], { env: { ...env, TOLLGATE_CONFIG: this.configPath }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const startedAt = this.logs.length;
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      this.logFile.write(chunk);
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.trim()) continue;
        try {
          this.logs.push(JSON.parse(part) as Record<string, unknown>);
        } catch {
          this.stderr.push(part);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.logFile.write(chunk);
      this.stderr.push(chunk.toString('utf8'));
    });
    await eventually(
      () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}: ${this.tail()}`);
        return this.logs.slice(startedAt).some((l) => l.msg === 'tollgate started');
      },
      20_000,
      `${this.name} to start`,
      50,
    );
  }

  /**
   * `work`, unless the process exits first (a crash the test did not cause): then a rejection carrying its last
   * log lines, instead of waiting for the BRAS to give up.
   */
  async unlessItDies<T>(work: Promise<T>): Promise<T> {
    const child = this.child;
    if (!child || !this.running) throw new Error(`${this.name} is not running`);
    let onExit: () => void = () => undefined;
    const died = new Promise<never>((_, reject) => {
      onExit = () => reject(new Error(`${this.name} exited (${child.exitCode ?? child.signalCode}) during the test:\n${this.tail(8)}`));
      child.once('exit', onExit);
    });
    try {
      return await Promise.race([work, died]);
    } finally {
      child.off('exit', onExit);
      died.catch(() => undefined);
    }
  }

  /** kill -9: no drain, nothing flushed. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM (drains), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 10_000);
  }

  private async signal(sig: NodeJS.Signals, killAfterMs = 0): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(sig);
    if (killAfterMs > 0) await Promise.race([exited, sleep(killAfterMs).then(() => child.kill('SIGKILL'))]);
    await exited;
  }

  /** Log lines at `level` or above (the daemon logs level names: warn, error, fatal). */
  linesAtLeast(level: 'warn' | 'error'): Record<string, unknown>[] {
    const rank: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
    const min = rank[level] as number;
    return this.logs.filter((l) => (typeof l.level === 'number' ? l.level : (rank[String(l.level)] ?? 0)) >= min);
  }

  tail(n = 15): string {
    return [...this.logs.slice(-n).map((l) => JSON.stringify(l)), ...this.stderr.slice(-5)].join('\n');
  }

  async metrics(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.ports.admin}/metrics`);
    return res.text();
  }

  /** An admin API call; throws unless the status is 2xx. */
  async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await apiClient(`http://127.0.0.1:${this.ports.admin}`, ADMIN_TOKEN).call(method, `/api/v1${path}`, body);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.json as T;
  }

  /** `tollgate ledger verify --config <this daemon's config>`: exit code and output. */
  ledgerVerify(): Promise<{ code: number; stdout: string; stderr: string }> {
    return run(process.execPath, [CLI, 'ledger', 'verify', '--config', this.configPath]);
  }

  async destroy(): Promise<void> {
    await this.kill();
    await new Promise<void>((r) => this.logFile.end(() => r()));
  }
}

export { metricValue } from '../helpers/metrics.js';

/** Private PostgreSQL + Redis + daemons of one test file, torn down together. */
export class FaultEnv {
  readonly daemons: DaemonProcess[] = [];

  private constructor(
    readonly dir: string,
    readonly pg: PrivatePostgres,
    readonly redis: PrivateRedis,
  ) {}

  static async create(): Promise<FaultEnv> {
    const dir = makeTempDir();
    const pgsql = await PrivatePostgres.create(dir);
    try {
      const redis = await PrivateRedis.create(dir);
      return new FaultEnv(dir, pgsql, redis);
    } catch (err) {
      await pgsql.destroy();
      throw err;
    }
  }

  async daemon(name: string, extra?: Record<string, unknown>): Promise<DaemonProcess> {
    const d = await DaemonProcess.create({ name, dir: this.dir, databaseUrl: this.pg.url(), redisUrl: this.redis.url, ...(extra ? { extra } : {}) });
    this.daemons.push(d);
    return d;
  }

  async destroy(): Promise<void> {
    for (const d of this.daemons) await d.destroy().catch(() => undefined);
    await this.redis.destroy().catch(() => undefined);
    await this.pg.destroy().catch(() => undefined);
    if (process.env.KEEP_FAULT_DIRS === '1') process.stderr.write(`fault test files kept in ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
