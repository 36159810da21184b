#!/usr/bin/env node
/**
 * `npm install` runs this (the `install` script): it builds the batched UDP addon (native/udp-batch) with
 * node-gyp. The addon is optional: when it cannot be built (no compiler, not Linux, no node-gyp) this logs why
 * and exits 0, and the daemon uses node:dgram (radius.io: auto). `node scripts/build-native.mjs` rebuilds it.
 *
 * node-gyp: the one npm runs scripts with ($npm_config_node_gyp), else one on PATH. Node's headers: the
 * installed ones next to the node binary (<prefix>/include/node, as the official binaries and images ship
 * them) so that nothing is downloaded; else node-gyp's own cache or download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addonDir = join(root, 'native', 'udp-batch');
const built = join(addonDir, 'build', 'Release', 'udp_batch.node');

function say(message) {
  process.stderr.write(`tollgate: udp-batch addon: ${message}\n`);
}

function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  // npm ships node-gyp next to itself; the node binary's prefix is where a global npm lives.
  const prefix = dirname(dirname(process.execPath));
  for (const candidate of [join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')]) {
    if (existsSync(candidate)) return [process.execPath, candidate];
  }
  const which = spawnSync('sh', ['-c', 'command -v node-gyp'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim() !== '') return [which.stdout.trim()];
  return null;
}

function main() {
  if (process.env.TOLLGATE_SKIP_NATIVE === '1') return say('skipped (TOLLGATE_SKIP_NATIVE=1); node:dgram will be used');
  if (process.platform !== 'linux') return say(`not built on ${process.platform} (recvmmsg/sendmmsg are Linux); node:dgram will be used`);
  const gyp = nodeGyp();
  if (!gyp) return say('node-gyp not found; node:dgram will be used');
  const prefix = dirname(dirname(process.execPath));
  const headers = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
  const [cmd, ...args] = gyp;
  const run = spawnSync(cmd, [...args, 'rebuild', ...headers], { cwd: addonDir, encoding: 'utf8' });
  if (run.error || run.status !== 0 || !existsSync(built)) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    say(`build failed${run.error ? ` (${run.error.message})` : ''}; node:dgram will be used. The last lines:\n${output}`);
    return;
  }
  say(`built ${built.slice(root.length + 1)}`);
}

try {
  main();
} catch (err) {
  say(`build failed (${err instanceof Error ? err.message : String(err)}); node:dgram will be used`);
}
process.exitCode = 0;
