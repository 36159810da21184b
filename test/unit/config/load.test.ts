import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfig, validateConfig } from '../../../src/config/load.js';
import { configSchema } from '../../../src/config/schema.js';

function fileWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-config-'));
  const path = join(dir, 'tollgate.yaml');
  writeFileSync(path, text);
  return path;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('uses the development defaults when there is no file, with a warning', () => {
    const { config, source, warnings } = loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'tg-')) });
    expect(source).toMatch(/development defaults/);
    expect(warnings.join(' ')).toMatch(/testing123/);
    expect(config.clients.map((c) => c.address)).toContain('127.0.0.1');
    expect(config.radius.authPort).toBe(1812);
    expect(config.radius.receiveBufferBytes).toBe(4 * 1024 * 1024);
    expect(Object.isFrozen(config.radius)).toBe(true);
  });

  it('reports every bad key at once, each by name', () => {
    const path = fileWith(`
radius:
  authPort: 99999
  acctPurt: 1813
clients:
  - name: a
    address: 10.0.0.0/33
    secret: long-enough-secret
  - name: b
    address: not-an-ip
    secret: x
users:
  - username: u
`);
    const list = problems(() => loadConfig({ file: path, env: {} }));
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^radius\.authPort: must be an integer/),
        expect.stringMatching(/^radius\.acctPurt: is not a known key/),
        expect.stringMatching(/^clients\[1\]\.address:/),
        expect.stringMatching(/^clients\[1\]\.secret: must be at least 6/),
      ]),
    );
  });

  it('checks CIDR prefixes and duplicate users once the shapes are right', () => {
    const list = problems(() =>
      validateConfig(
        {
          clients: [{ name: 'a', address: '10.0.0.0/33', secret: 'long-enough-secret' }],
          users: [{ username: 'u', password: 'p' }, { username: 'u', password: 'q' }, { username: 'v' }],
        },
        'test',
      ),
    );
    expect(list).toEqual([
      'clients[0].address: prefix /33 is too long for IPv4',
      'users[1].username: u is already defined at users[0]',
      'users[2]: user "v" needs password or ntHash',
    ]);
  });

  it('lets TOLLGATE_* variables override the file and validates them too', () => {
    const path = fileWith('radius:\n  authPort: 1812\n');
    const { config } = loadConfig({ file: path, env: { TOLLGATE_RADIUS_AUTH_PORT: '11812', TOLLGATE_ADMIN_TOKEN: 'a-token-of-16-chars!' } });
    expect(config.radius.authPort).toBe(11812);
    expect(config.admin.token).toBe('a-token-of-16-chars!');
    expect(problems(() => loadConfig({ file: path, env: { TOLLGATE_RADIUS_ACCT_PORT: 'abc' } }))).toEqual([
      'radius.acctPort: must be an integer ≥ 0 ≤ 65535, got string "abc"',
    ]);
    expect(problems(() => loadConfig({ file: path, env: { TOLLGATE_DATABASE_URL: 'mysql://x' } }))[0]).toMatch(/^database\.url:/);
  });

  it('reads TOLLGATE_CONFIG and names the file when it is not YAML', () => {
    const path = fileWith('radius: [unclosed');
    expect(() => loadConfig({ env: { TOLLGATE_CONFIG: path } })).toThrow(new RegExp(`${path} is not valid YAML`));
  });

  it('warns about short secrets', () => {
    const path = fileWith('clients:\n  - { name: a, address: 10.0.0.1, secret: short1 }\n');
    expect(loadConfig({ file: path, env: {} }).warnings[0]).toMatch(/client a: shared secret shorter than 12/);
  });

  it('the example file validates and names every top-level key of the schema', () => {
    const example = join(import.meta.dirname, '../../../config/tollgate.example.yaml');
    const { config } = loadConfig({ file: example, env: {} });
    expect(config.clients[0]?.name).toBe('bras-1');
    const doc = parse(readFileSync(example, 'utf8')) as Record<string, unknown>;
    const topKeys = Object.keys(configSchema.parse({}, '', []) ?? {});
    for (const key of topKeys) expect(Object.keys(doc)).toContain(key);
  });
});
