#!/usr/bin/env node
/**
 * `npm run build` runs this after the compiler: it makes dist/pglite-template, a directory fresh from PGlite's
 * initdb and stamped with the PGlite version, which a first start copies instead of running initdb
 * (src/store/pglite-initdb.ts: seconds and ~500 MB less). It does nothing while the template is current, and a
 * failure only costs the first start that time: it warns and exits 0.
 */
import { buildTemplate, DEFAULT_TEMPLATE_DIR } from '../dist/src/store/pglite-initdb.js';

const started = Date.now();
try {
  if (await buildTemplate()) {
    process.stderr.write(`tollgate: embedded database template made in ${((Date.now() - started) / 1000).toFixed(1)} s (${DEFAULT_TEMPLATE_DIR})\n`);
  }
} catch (err) {
  process.stderr.write(`tollgate: no embedded database template (a first start runs initdb instead): ${err instanceof Error ? err.message : String(err)}\n`);
}
