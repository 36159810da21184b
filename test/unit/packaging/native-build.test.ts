/**
 * The batched UDP addon is optional: `npm install` runs scripts/build-native.mjs, which must never fail the
 * install (it logs and exits 0), and the image builds it where the tool chain is and ships only the `.node` file.
 * (Whether it builds here is what test/unit/transport/batch-socket.test.ts finds out by loading it.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyArgs, parseDockerfile } from './dockerfile.js';

const root = join(import.meta.dirname, '../../..');

describe('the udp-batch addon build', () => {
  it('is the install script, and no binding.gyp at the root makes npm run node-gyp itself (which would fail the install)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; gypfile?: boolean };
    expect(pkg.scripts.install).toBe('node scripts/build-native.mjs');
    expect(() => readFileSync(join(root, 'binding.gyp'))).toThrow();
    expect(readFileSync(join(root, 'native/udp-batch/binding.gyp'), 'utf8')).toContain('"target_name": "udp_batch"');
  });

  it('exits 0 and says what the daemon will use when it does not build', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/build-native.mjs')], { env: { ...process.env, TOLLGATE_SKIP_NATIVE: '1' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('node:dgram will be used');
  });

  it('is built in the image build stage and only the addon reaches the runtime stage', () => {
    const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    const runtime = dockerfile.stages.at(-1)!;
    const build = dockerfile.stages.find((s) => s.instructions.some((i) => i.name === 'RUN' && i.raw.includes('scripts/build-native.mjs')));
    expect(build, 'a stage runs scripts/build-native.mjs').toBeDefined();
    expect(build!.index).not.toBe(runtime.index);
    expect(build!.instructions.some((i) => i.name === 'RUN' && /apt-get install[^\n]*\bg\+\+/.test(i.raw))).toBe(true);
    const runtimeRuns = runtime.instructions.filter((i) => i.name === 'RUN').map((i) => i.raw).join('\n');
    expect(runtimeRuns).not.toMatch(/g\+\+|make|python3|node-gyp/);
    const copied = runtime.instructions.filter((i) => i.name === 'COPY').map((i) => copyArgs(i));
    expect(copied.some((c) => c.flags.get('from') === build!.name && c.sources.some((s) => s.endsWith('native/udp-batch/build/Release/udp_batch.node')))).toBe(true);
  });
});
