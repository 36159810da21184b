// The embedded default's footprint: starts the built daemon as `npm start` would (no configuration file, no
// database.url: PGlite under the data dir, in-process cache) on a fresh temporary data dir (first start: the data
// directory is created, migrations run, the demo is seeded) and again on the same dir (second start), and prints
// for each: the time to the first 200 from /readyz, the start-up phases from the daemon's own log, and VmRSS /
// VmHWM (/proc/PID/status) once ready and after a few RADIUS requests (radclient, when installed) and API calls.
// The RADIUS and portal ports are 0 (read back from the log); the admin port is a free one picked before the
// spawn, so /readyz is polled from the start; loopback only; the daemon is stopped by its PID (SIGTERM).
// Build first: npm run build --silent
//   node bench/embedded-footprint.mjs [--runs 1] [--keep] [--root CHECKOUT] [-- extra daemon env as KEY=VALUE ...]
// (--root: measure another built checkout's dist/, e.g. the commit before a change.)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const root = option('--root', join(dirname(fileURLToPath(import.meta.url)), '..'));
const keep = args.includes('--keep');
const runs = Number(option('--runs', '1'));
const extraEnv = Object.fromEntries(
  args.slice(args.indexOf('--') + 1 || args.length).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const TOKEN = 'footprint-bench-token-0123456789';
const SECRET = 'testing123'; // the built-in development defaults' NAS client (127.0.0.1)

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);
  // utime + stime (fields 14 and 15 after the command's parenthesis), in clock ticks of 1/100 s: the CPU the start
  // cost, which a busy machine changes far less than the wall-clock time.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / 100;
  return { rssMB: Math.round(kb('VmRSS') / 1024), hwmMB: Math.round(kb('VmHWM') / 1024), cpuS };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port free on 127.0.0.1 a moment ago (the kernel's pick for port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The daemon's log lines in order, each with `at`: its own timestamp in milliseconds since the spawn. */
function startDaemon(dataDir, adminPort) {
  const env = {
    ...process.env,
    TOLLGATE_CONFIG: '',
    TOLLGATE_DATA_DIR: dataDir,
    TOLLGATE_LOG_LEVEL: 'info',
    TOLLGATE_ADMIN_PORT: String(adminPort),
    TOLLGATE_ADMIN_LISTEN: '127.0.0.1',
    TOLLGATE_ADMIN_TOKEN: TOKEN,
    TOLLGATE_PORTAL_PORT: '0',
    TOLLGATE_RADIUS_AUTH_PORT: '0',
    TOLLGATE_RADIUS_ACCT_PORT: '0',
    ...extraEnv,
  };
  delete env.TOLLGATE_DATABASE_URL;
  delete env.TOLLGATE_REDIS_URL;
  if (env.TOLLGATE_CONFIG === '') delete env.TOLLGATE_CONFIG;
  const started = performance.now();
  const startedAt = Date.now();
  // cwd: a directory with no config/tollgate.yaml, so the built-in development defaults apply.
  const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let buffered = '';
  const collect = (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const line = JSON.parse(text);
        // pino writes behind the event loop: the line's own time, not its arrival, dates the phase.
        lines.push({ ...line, at: Date.parse(line.time) - startedAt });
      } catch {
        lines.push({ at: Date.now() - startedAt, msg: text });
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, started, exited, adminPort };
}

async function waitReady(daemon) {
  const deadline = performance.now() + 120_000;
  const url = `http://127.0.0.1:${daemon.adminPort}/readyz`;
  while (performance.now() < deadline) {
    if (daemon.child.exitCode !== null) throw new Error(`daemon exited early:\n${daemon.lines.map((l) => l.msg).join('\n')}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return performance.now() - daemon.started;
    await sleep(20);
  }
  throw new Error('not ready within 120 s');
}

/** The phases of the start-up, each from the log line that ends it (milliseconds since spawn). */
function phases(lines) {
  const at = (msg) => lines.find((l) => l.msg === msg);
  const migrations = lines.filter((l) => l.msg === 'migration applied');
  const opened = at('embedded database opened');
  const marks = [
    ['process + modules + config', at('using the embedded database (PGlite); set database.url for PostgreSQL')],
    [
      opened?.created
        ? `PGlite open (new data dir from ${opened.created} ${opened.createMs} ms, PostgreSQL start ${opened.startMs} ms)`
        : `PGlite open${opened ? ` (PostgreSQL start ${opened.startMs} ms)` : ''}`,
      opened ?? migrations[0],
    ],
    [`migrations (${migrations.length}: ${migrations.map((m) => m.ms).join('+')} ms in SQL)`, migrations.at(-1)],
    ['demo seed', at('empty embedded database: seeded the demo tariff and subscribers')],
    ['subscriber snapshots', at('subscriber snapshots loaded')],
    ['listeners + started', at('tollgate started')],
  ];
  const out = [];
  let previous = 0;
  for (const [name, line] of marks) {
    if (!line) continue;
    out.push(`${name} ${Math.round(line.at - previous)} ms`);
    previous = line.at;
  }
  return out.join(' · ');
}

function radclient(port, kind, body) {
  const r = spawnSync('radclient', ['-q', '-r', '2', '-t', '5', `127.0.0.1:${port}`, kind, SECRET], { input: body, encoding: 'utf8' });
  return r.error ? 'radclient not installed' : r.status === 0 ? 'ok' : `exit ${r.status} (${(r.stderr || r.stdout).trim().split('\n')[0]})`;
}

async function exercise(daemon, adminPort) {
  const line = (role) => daemon.lines.find((l) => l.msg === 'RADIUS listener ready' && l.role === role);
  const auth = line('auth')?.port;
  const acct = line('acct')?.port;
  const results = [];
  for (let i = 0; i < 5; i++) {
    results.push(radclient(auth, 'auth', 'User-Name = "alice", User-Password = "alice-password", Message-Authenticator = 0x00\n'));
  }
  const session = `Acct-Session-Id = "fp-${Date.now()}", User-Name = "alice", NAS-IP-Address = 127.0.0.1, NAS-Port = 1`;
  results.push(radclient(acct, 'acct', `Acct-Status-Type = Start, ${session}\n`));
  results.push(radclient(acct, 'acct', `Acct-Status-Type = Stop, ${session}, Acct-Session-Time = 60, Acct-Input-Octets = 1000, Acct-Output-Octets = 5000\n`));
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const api = `http://127.0.0.1:${adminPort}/api/v1`;
  for (const path of ['/subscribers', '/accounts', '/tariffs', '/sessions', '/nas']) {
    const res = await fetch(api + path, { headers });
    results.push(`GET ${path} ${res.status}`);
    await res.arrayBuffer();
  }
  await fetch(`http://127.0.0.1:${adminPort}/metrics`).then((r) => r.arrayBuffer());
  await sleep(500); // the auth log and the rater write behind the replies
  return results;
}

async function measure(label, dataDir) {
  const daemon = startDaemon(dataDir, await freePort());
  try {
    const readyMs = await waitReady(daemon);
    const port = daemon.adminPort;
    const ready = memory(daemon.child.pid);
    const calls = await exercise(daemon, port);
    const after = memory(daemon.child.pid);
    const failed = calls.filter((c) => !c.endsWith('ok') && !c.endsWith(' 200'));
    console.log(`${label}: ready ${(readyMs / 1000).toFixed(2)} s (CPU ${ready.cpuS.toFixed(2)} s) · RSS ${ready.rssMB} MB (peak ${ready.hwmMB}) when ready, ` +
      `${after.rssMB} MB (peak ${after.hwmMB}) after ${calls.length} RADIUS/API calls${failed.length ? ` [not ok: ${failed.join(', ')}]` : ''}`);
    console.log(`  phases: ${phases(daemon.lines)}`);
    return { readyMs, ...ready, after };
  } finally {
    daemon.child.kill('SIGTERM');
    const { code, signal } = await daemon.exited;
    if (code !== 0) console.log(`  (stopped: code ${code} signal ${signal})`);
  }
}

for (let run = 1; run <= runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-footprint-'));
  try {
    await measure(`run ${run} first start (new data dir)`, dir);
    await measure(`run ${run} second start (same data dir)`, dir);
  } finally {
    if (keep) console.log(`  data dir kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
