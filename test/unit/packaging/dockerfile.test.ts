/**
 * The image cannot be built here (no Docker engine), so its essentials are checked from the Dockerfile itself:
 * multi-stage, a non-root user, the health check, the exposed ports matching the configuration defaults,
 * every COPY source present in the repository and inside the build context (.dockerignore), and the
 * entrypoint pointing at what the TypeScript build produces.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_OVERRIDES, validateConfig } from '../../../src/config/load.js';
import { copyArgs, isIgnored, parseDockerfile, parseDockerignore, type Instruction } from './dockerfile.js';

const root = join(import.meta.dirname, '../../..');
const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const ignore = parseDockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
const defaults = validateConfig({}, 'defaults');
const runtime = dockerfile.stages.at(-1)!;

function last(name: string, instructions: readonly Instruction[] = runtime.instructions): Instruction | undefined {
  return instructions.filter((i) => i.name === name).at(-1);
}

/** ENV instructions of a stage as a map (both `K=V K2=V2` and the legacy `K V` forms). */
function envOf(instructions: readonly Instruction[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const ins of instructions.filter((i) => i.name === 'ENV')) {
    if (!ins.raw.includes('=')) {
      const [k, ...v] = ins.raw.split(/\s+/);
      env.set(k as string, v.join(' '));
      continue;
    }
    for (const m of ins.raw.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) env.set(m[1] as string, m[3] ?? (m[2] as string));
  }
  return env;
}

describe('Dockerfile', () => {
  it('is a multi-stage build whose runtime stage takes only built artefacts from the build stage', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const names = new Set(dockerfile.stages.map((s) => s.name));
    const build = dockerfile.stages.find((s) => s.instructions.some((i) => i.name === 'RUN' && /npm run build\b/.test(i.raw)));
    expect(build, 'a stage runs `npm run build`').toBeDefined();
    expect(build!.index).not.toBe(runtime.index);
    // The build stage installs the dev dependencies (TypeScript): a plain `npm ci`, without --omit=dev.
    expect(build!.instructions.some((i) => i.name === 'RUN' && /npm ci\b/.test(i.raw) && !/--omit=dev/.test(i.raw))).toBe(true);
    // The runtime stage gets production dependencies only and runs no compiler.
    const runtimeRuns = runtime.instructions.filter((i) => i.name === 'RUN').map((i) => i.raw).join('\n');
    expect(runtimeRuns).not.toMatch(/npm (ci|install)(?![^\n]*--omit=dev)/);
    expect(runtimeRuns).not.toMatch(/npm run build|tsc/);
    for (const ins of runtime.instructions.filter((i) => i.name === 'COPY')) {
      const from = copyArgs(ins).flags.get('from');
      if (from !== undefined) expect(names.has(from), `COPY --from=${from} names a stage`).toBe(true);
    }
    const fromStages = runtime.instructions
      .filter((i) => i.name === 'COPY')
      .map((i) => copyArgs(i))
      .filter((c) => c.flags.has('from'));
    expect(fromStages.some((c) => c.sources.some((s) => s.includes('dist')))).toBe(true);
    expect(fromStages.some((c) => c.sources.some((s) => s.includes('node_modules')))).toBe(true);
    const depsStage = dockerfile.stages.find((s) => s.name === fromStages.find((c) => c.sources.some((x) => x.includes('node_modules')))!.flags.get('from'));
    expect(depsStage!.instructions.some((i) => i.name === 'RUN' && /npm ci\b.*--omit=dev/.test(i.raw))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const user = last('USER');
    expect(user, 'the runtime stage sets USER').toBeDefined();
    const [name, group] = user!.raw.split(':');
    expect(['root', '0', '']).not.toContain(name);
    expect(['root', '0']).not.toContain(group);
  });

  it('checks health on the admin listener with node (no curl in the image)', () => {
    const hc = last('HEALTHCHECK');
    expect(hc).toBeDefined();
    expect(hc!.raw).toMatch(/--interval=\d+s/);
    expect(hc!.raw).toMatch(/--start-period=\d+s/);
    const cmd = hc!.raw.replace(/^(--\S+\s+)*CMD\s+/, '');
    const argv = JSON.parse(cmd) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain('/healthz');
    expect(argv.join(' ')).toContain(String(defaults.admin.port));
    expect(argv.join(' ')).not.toMatch(/\bcurl\b|\bwget\b/);
    expect(readFileSync(join(root, 'src/http/admin-server.ts'), 'utf8')).toContain("case '/healthz':");
    // The admin listener defaults to 127.0.0.1; inside a container it must listen on every address.
    expect(defaults.admin.listen).toBe('127.0.0.1');
    expect(envOf(runtime.instructions).get('TOLLGATE_ADMIN_LISTEN')).toBe('0.0.0.0');
  });

  it('exposes the RADIUS ports over UDP and the admin port, as the configuration defaults have them', () => {
    const exposed = runtime.instructions.filter((i) => i.name === 'EXPOSE').flatMap((i) => i.raw.split(/\s+/));
    expect(exposed).toContain(`${defaults.radius.authPort}/udp`);
    expect(exposed).toContain(`${defaults.radius.acctPort}/udp`);
    expect(exposed.some((p) => p === String(defaults.admin.port) || p === `${defaults.admin.port}/tcp`)).toBe(true);
  });

  it('stops with SIGTERM (drain), keeps its data dir in a volume and sets only known TOLLGATE_ variables', () => {
    expect(last('STOPSIGNAL')?.raw).toBe('SIGTERM');
    const env = envOf(runtime.instructions);
    const dataDir = env.get('TOLLGATE_DATA_DIR');
    expect(dataDir).toBeDefined();
    const volume = last('VOLUME')!;
    expect(volume.json ?? volume.raw.split(/\s+/)).toContain(dataDir);
    const known = new Set(['TOLLGATE_CONFIG', ...ENV_OVERRIDES.map(([name]) => name)]);
    for (const name of env.keys()) if (name.startsWith('TOLLGATE_')) expect(known, `${name} is read by src/config/load.ts`).toContain(name);
  });

  it('starts the CLI that the TypeScript build emits', () => {
    const entry = [...(last('ENTRYPOINT')?.json ?? []), ...(last('CMD')?.json ?? [])];
    expect(entry[0]).toBe('node');
    const script = entry[1] as string;
    expect(script).toMatch(/^dist\/src\/.+\.js$/);
    expect(existsSync(join(root, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), `${script} comes from a source file`).toBe(true);
    expect(entry[2]).toBe('serve');
    // What the image copies from the build must hold what src/app/paths.ts looks for at run time.
    const copied = runtime.instructions
      .filter((i) => i.name === 'COPY')
      .flatMap((i) => {
        const { sources, dest } = copyArgs(i);
        const into = dest.endsWith('/') || sources.length > 1;
        return sources.map((s) => posix.normalize(into ? posix.join(dest, posix.basename(s)) : dest).replace(/\/$/, ''));
      });
    for (const needed of ['dictionaries', 'package.json', 'node_modules', 'dist/src']) expect(copied).toContain(needed);
    expect(last('WORKDIR')?.raw).toBe('/app');
  });

  it('copies only paths that exist in the repository and are inside the build context', () => {
    const fromContext = dockerfile.instructions.filter((i) => (i.name === 'COPY' || i.name === 'ADD') && !copyArgs(i).flags.has('from'));
    expect(fromContext.length).toBeGreaterThan(0);
    for (const ins of fromContext) {
      for (const source of copyArgs(ins).sources) {
        expect(source, `line ${ins.line}: no globs or URLs`).not.toMatch(/[*?[]|:\/\//);
        expect(existsSync(join(root, source)), `line ${ins.line}: ${source} exists`).toBe(true);
        expect(isIgnored(ignore, source), `line ${ins.line}: ${source} is not excluded by .dockerignore`).toBe(false);
        if (statSync(join(root, source)).isDirectory()) {
          // A directory must not lose the files it is copied for.
          const probe = source === 'src' ? 'src/main.ts' : source === 'dictionaries' ? 'dictionaries/dictionary' : null;
          if (probe) expect(isIgnored(ignore, probe), `${probe} stays in the context`).toBe(false);
        }
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps local state, secrets and build output out of the context', () => {
    for (const path of ['node_modules/pg/package.json', 'dist/src/main.js', 'data/pglite/PG_VERSION', '.git/HEAD', 'config/tollgate.yaml', '.env', 'deploy/.env', 'test/unit/x.test.ts']) {
      expect(isIgnored(ignore, path), path).toBe(true);
    }
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/cli.ts', 'dictionaries/dictionary.rfc2865', 'config/tollgate.example.yaml']) {
      expect(isIgnored(ignore, path), path).toBe(false);
    }
  });

  it('matches the way Docker does: last rule wins, parents exclude children, ** spans directories', () => {
    const rules = parseDockerignore('# c\nconfig/*\n!config/keep.yaml\n**/*.pem\n/build\n');
    expect(isIgnored(rules, 'config/secret.yaml')).toBe(true);
    expect(isIgnored(rules, 'config/keep.yaml')).toBe(false);
    expect(isIgnored(rules, 'config')).toBe(false);
    expect(isIgnored(rules, 'a/b/c.pem')).toBe(true);
    expect(isIgnored(rules, 'c.pem')).toBe(true);
    expect(isIgnored(rules, 'build/x/y.js')).toBe(true);
    expect(isIgnored(rules, 'src/build.ts')).toBe(false);
  });
});
