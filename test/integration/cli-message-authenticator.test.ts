/**
 * `tollgate nas add|edit` and requireMessageAuthenticator: a NAS added without a flag is auto; each flag sets its
 * value; two at once are a usage error (64).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let h: CliHarness;
beforeAll(async () => {
  h = await createCliHarness();
});
afterAll(async () => {
  await h?.close();
});

const requirement = (stdout: string): unknown => (JSON.parse(stdout) as { requireMessageAuthenticator: unknown }).requireMessageAuthenticator;

describe('tollgate nas and Message-Authenticator', () => {
  it('adds auto by default, strict or legacy when told, and edits between the three', async () => {
    const auto = await h.run('nas', 'add', '--name', 'ma-auto', '--address', '192.0.2.70', '--secret', 'ma-secret-ma-secret', '--json');
    expect(auto.code, auto.stderr).toBe(0);
    expect(requirement(auto.stdout)).toBe('auto');
    const strict = await h.run('nas', 'add', '--name', 'ma-strict', '--address', '192.0.2.71', '--secret', 'ma-secret-ma-secret', '--message-authenticator', '--json');
    expect(requirement(strict.stdout)).toBe(true);
    const legacy = await h.run('nas', 'add', '--name', 'ma-legacy', '--address', '192.0.2.72', '--secret', 'ma-secret-ma-secret', '--no-message-authenticator', '--json');
    expect(requirement(legacy.stdout)).toBe(false);

    expect(requirement((await h.run('nas', 'edit', 'ma-legacy', '--message-authenticator-auto', '--json')).stdout)).toBe('auto');
    expect(requirement((await h.run('nas', 'edit', 'ma-auto', '--message-authenticator', '--json')).stdout)).toBe(true);
    const both = await h.run('nas', 'edit', 'ma-auto', '--message-authenticator', '--message-authenticator-auto');
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('give one of --message-authenticator, --no-message-authenticator and --message-authenticator-auto');
  });
});
