// Many generated BRAS traces through the journal and the rater, each checked against the reference rater of
// docs/accounting.md (test/model/reference-rater.ts): prints the number of traces run, records sent and
// mismatching traces (with the kinds of differences and the first three traces in full). No shrinking: for a
// minimal failing trace run the property test itself with the same seed.
//
//   node bench/accounting-traces.mjs [traces=10000] [seed=20300310]                  # PGlite in memory
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/accounting-traces.mjs 10000
//   TRACES_WITHOUT=clock,absurd node bench/accounting-traces.mjs 2000                 # behaviours off
//
// It runs `vitest run test/integration/accounting-traces.test.ts` in its count mode (TRACES_COUNT=1), so it
// needs no build (the generator and the model are TypeScript test code). About 8 traces/s on PGlite (2 cores).
// Exit status: 0 when every trace matched the model.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const [traces = '10000', seed = '20300310'] = process.argv.slice(2);
if (!/^[0-9]+$/.test(traces) || !/^-?[0-9]+$/.test(seed)) {
  console.error('usage: node bench/accounting-traces.mjs [traces] [seed]');
  process.exit(64);
}
const root = resolve(import.meta.dirname, '..');
const child = spawn('npx', ['vitest', 'run', 'test/integration/accounting-traces.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TRACES_COUNT: '1', TRACES: traces, TRACES_SEED: seed },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
