/**
 * `tollgate operator add|list|disable|enable|reset-password` in-process against a real Store: the password from
 * stdin (never an argument), the last enabled admin kept, sessions ended on disable, and every change audited
 * with via `cli` and the OS user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/domain/credentials.js';
import { createCliHarness, type CliHarness } from './cli-harness.js';

const PASSWORD = 'cli-operator-password-42';
let h: CliHarness;

beforeAll(async () => {
  h = await createCliHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('tollgate operator', () => {
  it('adds an operator with the password from the first line of stdin, audited as the OS user via cli', async () => {
    const r = await h.runWithInput(`${PASSWORD}\nignored second line\n`, 'operator', 'add', 'root-admin', '--role', 'admin', '--name', 'Root Admin');
    expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^created operator \d+: root-admin \(admin\)\n$/);
    const creds = await h.store.operators.credentials({ login: 'ROOT-ADMIN' });
    expect(creds?.displayName).toBe('Root Admin');
    expect(await verifyPassword(PASSWORD, creds?.passwordHash)).toBe(true);
    const [row] = await h.db.sql.query<Record<string, unknown>>("SELECT * FROM audit_log WHERE action = 'operator.create'");
    expect(row).toMatchObject({ via: 'cli', login: 'test-user', operator_id: null, target: `operator:${creds!.id}` });
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(JSON.stringify(row)).not.toContain('scrypt$');
  });

  it('refuses a short password (65), a bad role or login (64), a taken login (65)', async () => {
    expect((await h.runWithInput('short\n', 'operator', 'add', 'bob', '--role', 'support')).code).toBe(65);
    expect((await h.runWithInput(`${PASSWORD}\n`, 'operator', 'add', 'bob', '--role', 'root')).code).toBe(64);
    expect((await h.runWithInput(`${PASSWORD}\n`, 'operator', 'add', 'bob')).code).toBe(64);
    expect((await h.runWithInput(`${PASSWORD}\n`, 'operator', 'add', 'bootstrap', '--role', 'readonly')).code).toBe(64);
    expect((await h.runWithInput(`${PASSWORD}\n`, 'operator', 'add', 'Root-Admin', '--role', 'readonly')).code).toBe(65);
  });

  it('lists the operators without their credentials', async () => {
    expect((await h.runWithInput(`${PASSWORD}\n`, 'operator', 'add', 'carol', '--role', 'billing')).code).toBe(0);
    const r = await h.run('operator', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+LOGIN\s+ROLE\s+NAME\s+STATE\s+2FA\s+LAST LOGIN\n/);
    expect(r.stdout).toMatch(/root-admin\s+admin\s+Root Admin\s+enabled/);
    expect(r.stdout).toMatch(/carol\s+billing\s+enabled/);
    const json = await h.run('operator', 'list', '--json');
    expect((JSON.parse(json.stdout) as { login: string }[]).map((o) => o.login)).toEqual(['root-admin', 'carol']);
    expect(json.stdout).not.toMatch(/scrypt|passwordHash/);
  });

  it('disables and enables, ending sessions; never the last enabled admin', async () => {
    const carol = (await h.store.operators.byLogin('carol'))!;
    await h.store.operatorSessions.create({ idHash: 'a'.repeat(64), operatorId: carol.id, csrfHash: 'b'.repeat(64), maxHours: 12, address: '127.0.0.1', userAgent: null }, 30);
    const off = await h.run('operator', 'disable', 'carol');
    expect(off, off.stderr).toMatchObject({ code: 0, stdout: 'disabled operator carol (billing, disabled)\n' });
    expect(await h.store.operatorSessions.resume('a'.repeat(64), 30)).toBeUndefined();
    expect((await h.run('operator', 'enable', 'carol')).stdout).toBe('enabled operator carol (billing)\n');
    const last = await h.run('operator', 'disable', 'root-admin');
    expect(last.code).toBe(65);
    expect(last.stderr).toMatch(/last enabled admin/);
    expect((await h.run('operator', 'disable', 'nobody')).code).toBe(65);
    const actions = await h.db.sql.query<{ action: string; via: string }>("SELECT action, via FROM audit_log WHERE target = $1 ORDER BY id", [`operator:${carol.id}`]);
    expect(actions).toEqual([
      { action: 'operator.create', via: 'cli' },
      { action: 'operator.update', via: 'cli' },
      { action: 'operator.update', via: 'cli' },
    ]);
  });

  it('resets a password from stdin', async () => {
    const r = await h.runWithInput('a-brand-new-password\n', 'operator', 'reset-password', 'carol');
    expect(r, r.stderr).toMatchObject({ code: 0 });
    const creds = await h.store.operators.credentials({ login: 'carol' });
    expect(await verifyPassword('a-brand-new-password', creds?.passwordHash)).toBe(true);
  });
});
