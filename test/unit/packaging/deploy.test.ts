/**
 * deploy/: the compose file, Prometheus configuration, the Tollgate configuration the containers use, the
 * systemd unit and the example environment files, checked against what the daemon really reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hardStopMs } from '../../../src/app/lifecycle.js';
import { ENV_OVERRIDES, validateConfig } from '../../../src/config/load.js';

const root = join(import.meta.dirname, '../../..');
const deploy = (path: string): string => readFileSync(join(root, 'deploy', path), 'utf8');
const KNOWN_ENV = new Set(['TOLLGATE_CONFIG', ...ENV_OVERRIDES.map(([name]) => name)]);
const defaults = validateConfig({}, 'defaults');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  stop_grace_period?: string;
}

const compose = parse(deploy('compose.yaml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const tollgates = Object.entries(compose.services).filter(([name]) => /^tollgate-\d+$/.test(name));

function seconds(duration: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`unexpected duration ${duration}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] as 'ms' | 's' | 'm'];
}

describe('deploy/compose.yaml', () => {
  it('runs two Tollgate instances of one image on shared PostgreSQL and Redis', () => {
    expect(tollgates).toHaveLength(2);
    const images = new Set(tollgates.map(([, s]) => s.image));
    expect(images.size).toBe(1);
    for (const [name, s] of tollgates) {
      const env = s.environment ?? {};
      expect(env.TOLLGATE_DATABASE_URL, name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.TOLLGATE_REDIS_URL, name).toMatch(/^redis:\/\/[^@]*@redis:6379\//);
      expect(env.TOLLGATE_ADMIN_LISTEN, `${name}: the admin listener is reachable from other containers`).toBe('0.0.0.0');
      for (const key of Object.keys(env)) if (key.startsWith('TOLLGATE_')) expect(KNOWN_ENV, `${name}: ${key}`).toContain(key);
      expect(seconds(s.stop_grace_period ?? '10s')).toBeGreaterThanOrEqual((2 * defaults.shutdown.drainTimeoutMs) / 1000 + 10);
    }
    expect(compose.services.postgres?.image).toMatch(/^postgres:15/);
    expect(compose.services.postgres?.healthcheck?.test?.join(' ')).toContain('pg_isready');
    expect(compose.services.redis?.image).toMatch(/^redis:7/);
  });

  it('publishes distinct UDP ports per instance for RADIUS authentication and accounting', () => {
    const published = tollgates.flatMap(([, s]) => (s.ports ?? []).filter((p) => p.endsWith('/udp')));
    const hostPorts = published.map((p) => p.split(':').at(-2));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    for (const [name, s] of tollgates) {
      const container = (s.ports ?? []).filter((p) => p.endsWith('/udp')).map((p) => p.split(':').at(-1));
      expect(container, name).toEqual([`${defaults.radius.authPort}/udp`, `${defaults.radius.acctPort}/udp`]);
      // The admin API is published on the loopback address of the host only.
      const admin = (s.ports ?? []).filter((p) => p.replace(/\/tcp$/, '').split(':').at(-1) === String(defaults.admin.port));
      expect(admin, name).toHaveLength(1);
      for (const p of admin) expect(p, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('takes every secret from the environment, never a literal', () => {
    const text = deploy('compose.yaml');
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|TOKEN|SECRET|AUTH/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/);
      }
    }
    // Interpolated variables are all documented in .env.example.
    const example = deploy('.env.example');
    const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const used = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    for (const v of used) expect(documented, `${v} is in deploy/.env.example`).toContain(v);
    // The example holds no values for secrets.
    for (const m of example.matchAll(/^([A-Z_]*(?:PASSWORD|TOKEN|SECRET)[A-Z_]*)=(.*)$/gm)) expect(m[2], m[1]).toBe('');
    for (const key of documented) if (key!.startsWith('TOLLGATE_')) expect(KNOWN_ENV, key).toContain(key);
  });

  it('mounts files that exist, and a Tollgate configuration that validates', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (!source.startsWith('.')) {
          expect(compose.volumes, `${name}: named volume ${source}`).toHaveProperty(source);
          continue;
        }
        expect(existsSync(join(root, 'deploy', source)), `${name}: ${source}`).toBe(true);
      }
    }
    const config = validateConfig(parse(deploy('tollgate/tollgate.yaml')) as Record<string, unknown>, 'deploy/tollgate/tollgate.yaml');
    expect(config.radius.listen).toContain('0.0.0.0');
    // NAS clients live in PostgreSQL (the admin API), shared by both instances; no secret sits in the file.
    expect(config.clients).toEqual([]);
  });

  it('applies migrations once, before the instances start', () => {
    const migrate = compose.services.migrate!;
    expect(migrate.command).toEqual(['migrate']);
    expect(migrate.image).toBe(tollgates[0]![1].image);
    for (const [name, s] of tollgates) {
      expect((s.depends_on as Record<string, { condition: string }>).migrate?.condition, name).toBe('service_completed_successfully');
    }
  });
});

describe('deploy/prometheus/prometheus.yml', () => {
  const prom = parse(deploy('prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
  };

  it('scrapes every Tollgate instance on the admin port and probes /readyz', () => {
    const job = prom.scrape_configs.find((j) => j.job_name === 'tollgate')!;
    expect(job.metrics_path ?? '/metrics').toBe('/metrics');
    const targets = job.static_configs.flatMap((c) => c.targets).sort();
    expect(targets).toEqual(tollgates.map(([name]) => `${name}:${defaults.admin.port}`).sort());
    const readyz = prom.scrape_configs.find((j) => j.job_name === 'tollgate-readyz')!;
    expect(readyz.static_configs.flatMap((c) => c.targets).sort()).toEqual(tollgates.map(([name]) => `http://${name}:${defaults.admin.port}/readyz`).sort());
  });

  it('loads the alert rules that compose mounts', () => {
    const mounts = compose.services.prometheus!.volumes ?? [];
    for (const file of prom.rule_files) expect(mounts.some((v) => v.endsWith(`:${file}:ro`) && v.startsWith('./prometheus/alerts.yml'))).toBe(true);
  });
});

describe('deploy/grafana/tollgate-dashboard.json', () => {
  const dash = JSON.parse(deploy('grafana/tollgate-dashboard.json')) as {
    schemaVersion: number;
    uid: string;
    panels: Array<{ id: number; type: string; datasource?: { uid: string } }>;
    templating: { list: Array<{ name: string; type: string }> };
  };

  it('is a provisionable dashboard with a data source variable', () => {
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dash.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dash.templating.list.find((v) => v.type === 'datasource')?.name).toBe('datasource');
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dash.panels.filter((x) => x.type !== 'row')) expect(p.datasource?.uid).toBe('${datasource}');
  });
});

describe('deploy/systemd', () => {
  const unit = deploy('systemd/tollgate.service');
  const directives = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) directives.set(m[1] as string, [...(directives.get(m[1] as string) ?? []), m[2] as string]);
  }
  const one = (key: string): string | undefined => directives.get(key)?.at(-1);

  it('runs unprivileged, hardened, with a writable data dir only', () => {
    expect(one('User')).toBe('tollgate');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ReadWritePaths')).toBe('/var/lib/tollgate');
    // 1812, 1813 and the admin port are above 1024: no capability at all.
    expect(defaults.radius.authPort).toBeGreaterThan(1024);
    expect(one('AmbientCapabilities') ?? '').toBe('');
    expect(one('CapabilityBoundingSet')).toBe('');
    // V8 needs writable executable memory.
    expect(directives.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it('reloads with SIGHUP, drains on SIGTERM within the stop timeout, restarts on failure', () => {
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(one('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    // The UDP drain and the rater's drain each take up to drainTimeoutMs.
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThanOrEqual((2 * defaults.shutdown.drainTimeoutMs) / 1000 + 10);
    // Whatever holds the stop, the daemon exits by itself before systemd's SIGKILL.
    expect(hardStopMs(defaults.shutdown.drainTimeoutMs)).toBeLessThan(Number(one('TimeoutStopSec')) * 1000);
    expect(one('Restart')).toBe('on-failure');
    expect(Number(one('LimitNOFILE'))).toBeGreaterThanOrEqual(65536);
    expect(one('ExecStart')).toMatch(/node \/opt\/tollgate\/dist\/src\/cli\.js serve$/);
    expect(existsSync(join(root, 'src/cli.ts'))).toBe(true);
  });

  it('has an environment file example with only variables the daemon reads, and no real secrets', () => {
    expect(one('EnvironmentFile')).toBe('/etc/tollgate/tollgate.env');
    const env = deploy('systemd/tollgate.env.example');
    const vars = [...env.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)];
    expect(vars.length).toBeGreaterThan(3);
    for (const [, key, value] of vars) {
      expect(KNOWN_ENV, key).toContain(key);
      if (/TOKEN|PASSWORD|SECRET|URL/.test(key!)) expect(value, key).toMatch(/CHANGE-ME|^$/);
    }
  });
});
