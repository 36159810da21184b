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

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function problems(fn: () => unknown): string[] {
  return configError(fn).issues.map((i) => `${i.key}: ${i.message}`);
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
        expect.stringMatching(/^clients\[1\]\.secret: must be at least 8/),
      ]),
    );
  });

  it('checks CIDR prefixes, host bits and duplicate users in the same pass as the shapes', () => {
    const list = problems(() =>
      validateConfig(
        {
          radius: { authPort: 'x' },
          clients: [
            { name: 'a', address: '10.0.0.0/33', secret: 'long-enough-secret' },
            { name: 'b', address: '10.0.0.1/8', secret: 'long-enough-secret' },
          ],
          users: [{ username: 'u', password: 'p' }, { username: 'u', password: 'q' }, { username: 'v' }],
        },
        'test',
      ),
    );
    expect(list).toEqual([
      'radius.authPort: must be an integer ≥ 0 ≤ 65535, got string "x"',
      'clients[0].address: has prefix length "33"; it must be 0 to 32',
      'clients[1].address: "10.0.0.1/8" has host bits set; use the network address (10.0.0.0/8)',
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

  it('blames each problem on its true source: the file, or the environment variable', () => {
    const path = fileWith('radius:\n  authPort: 99999\n');
    const err = configError(() => loadConfig({ file: path, env: { TOLLGATE_RADIUS_ACCT_PORT: 'abc', TOLLGATE_ADMIN_PORT: '9900' } }));
    expect(err.issues).toEqual([
      { key: 'radius.authPort', message: 'must be an integer ≥ 0 ≤ 65535, got number 99999', source: path },
      { key: 'radius.acctPort', message: 'must be an integer ≥ 0 ≤ 65535, got string "abc"', source: 'TOLLGATE_RADIUS_ACCT_PORT' },
    ]);
    expect(err.message).toContain(`2 problem(s) in ${path} and the environment:`);
    expect(err.message).toContain('  radius.acctPort: must be an integer ≥ 0 ≤ 65535, got string "abc" (from the environment variable TOLLGATE_RADIUS_ACCT_PORT)');
    expect(err.message).toMatch(/\n {2}radius\.authPort: must be an integer ≥ 0 ≤ 65535, got number 99999\n/);
  });

  it('refuses a secret YAML read as a number, telling the operator to quote it', () => {
    const path = fileWith('clients:\n  - { name: a, address: 10.0.0.1, secret: 0012345678 }\nadmin:\n  token: 1234567890123456789\n');
    const list = problems(() => loadConfig({ file: path, env: {} }));
    expect(list).toEqual([
      expect.stringMatching(/^clients\[0\]\.secret: must be a string: YAML read it as a number, .*quote it/),
      expect.stringMatching(/^admin\.token: must be a string: YAML read it as a number/),
    ]);
    expect(list.join('\n')).not.toMatch(/12345678/);
    const quoted = fileWith('clients:\n  - { name: a, address: 10.0.0.1, secret: "0012345678" }\n');
    expect(loadConfig({ file: quoted, env: {} }).config.clients[0]?.secret).toBe('0012345678');
  });

  it('takes NAS clients and users by the same field rules as the admin API', () => {
    const list = problems(() =>
      validateConfig(
        {
          clients: [{ name: 'a', address: '2001:db8::1/32', secret: 'short' }],
          users: [{ username: 'u'.repeat(254), password: 'p' }],
        },
        'test',
      ),
    );
    expect(list).toEqual([
      'clients[0].address: "2001:db8::1/32" has host bits set; use the network address (2001:db8::/32)',
      'clients[0].secret: must be at least 8 characters',
      'users[0].username: must be at most 253 characters',
    ]);
  });

  it('reads TOLLGATE_CONFIG and names the file when it is not YAML', () => {
    const path = fileWith('radius: [unclosed');
    expect(() => loadConfig({ env: { TOLLGATE_CONFIG: path } })).toThrow(new RegExp(`${path} is not valid YAML`));
  });

  it('warns about short secrets', () => {
    const path = fileWith('clients:\n  - { name: a, address: 10.0.0.1, secret: short123 }\n');
    expect(loadConfig({ file: path, env: {} }).warnings[0]).toMatch(/client a: shared secret shorter than 12/);
  });

  it('the example file validates and names every top-level key of the schema', () => {
    const example = join(import.meta.dirname, '../../../config/tollgate.example.yaml');
    const { config } = loadConfig({ file: example, env: {} });
    expect(config.clients[0]?.name).toBe('bras-1');
    const doc = parse(readFileSync(example, 'utf8')) as Record<string, unknown>;
    const topKeys = Object.keys(configSchema.parse({}));
    expect(topKeys.length).toBeGreaterThan(10);
    for (const key of topKeys) expect(Object.keys(doc)).toContain(key);
  });
});

describe('RadSec and RADIUS/TCP keys', () => {
  it('are off by default: no certificate files, no TCP port', () => {
    const { radius } = configSchema.parse({});
    expect(radius.radsec).toEqual({ port: 2083, idleTimeoutSeconds: 120, maxInFlightPerConnection: 256, maxConnectionsPerClient: 8 });
    expect(radius.tcp.port).toBeUndefined();
  });

  it('names each certificate file missing when only some are set', () => {
    const path = fileWith('radius:\n  radsec:\n    certFile: /etc/tollgate/server.pem\n');
    expect(problems(() => loadConfig({ file: path, env: {} }))).toEqual([
      'radius.radsec.keyFile: is required with radius.radsec.certFile: RadSec needs the server certificate, its key and the CA of the NAS certificates',
      'radius.radsec.caFile: is required with radius.radsec.certFile: RadSec needs the server certificate, its key and the CA of the NAS certificates',
    ]);
  });

  it('takes TOLLGATE_RADSEC_PORT, and blames a bad one on the variable', () => {
    expect(loadConfig({ file: fileWith('{}\n'), env: { TOLLGATE_RADSEC_PORT: '12083' } }).config.radius.radsec.port).toBe(12083);
    const err = configError(() => loadConfig({ file: fileWith('{}\n'), env: { TOLLGATE_RADSEC_PORT: '70000' } }));
    expect(err.issues).toEqual([expect.objectContaining({ key: 'radius.radsec.port', source: 'TOLLGATE_RADSEC_PORT' })]);
  });

  it('takes a client tlsName and radsecSecret, and refuses an empty one or a YAML number as the secret', () => {
    const client = { name: 'nas', address: '192.0.2.1', secret: 'a-long-udp-secret' };
    const ok = validateConfig({ clients: [{ ...client, tlsName: 'nas.example.net', radsecSecret: 'radsec-own' }] }, 'test');
    expect(ok.clients[0]).toMatchObject({ tlsName: 'nas.example.net', radsecSecret: 'radsec-own' });
    expect(problems(() => validateConfig({ clients: [{ ...client, tlsName: '', radsecSecret: 12345 }] }, 'test'))).toEqual([
      'clients[0].tlsName: must be at least 1 characters',
      expect.stringMatching(/^clients\[0\]\.radsecSecret: must be a string: YAML read it as a number/),
    ]);
  });
});
