/**
 * `npm start` runs dist/ directly and compiles only when dist/ is missing or older than the sources
 * (scripts/ensure-built.mjs), against a throw-away package whose "compiler" counts its runs.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** A package with src/, tsconfigs, and a fake tsc that writes dist/src/main.js and appends to runs.log. */
function fakePackage(): { dir: string; runs: () => number; ensure: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-start-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts/ensure-built.mjs'), join(dir, 'scripts/ensure-built.mjs'));
  mkdirSync(join(dir, 'src/app'), { recursive: true });
  writeFileSync(join(dir, 'src/main.ts'), 'export {};\n');
  writeFileSync(join(dir, 'src/app/index.ts'), 'export {};\n');
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) writeFileSync(join(dir, f), '{}\n');
  mkdirSync(join(dir, 'node_modules/typescript/bin'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules/typescript/bin/tsc'),
    `const fs = require('node:fs'); const path = require('node:path');
     const root = path.join(__dirname, '../../..');
     fs.mkdirSync(path.join(root, 'dist/src'), { recursive: true });
     fs.writeFileSync(path.join(root, 'dist/src/main.js'), '');
     fs.appendFileSync(path.join(root, 'runs.log'), 'x');\n`,
  );
  const runs = (): number => (existsSync(join(dir, 'runs.log')) ? readFileSync(join(dir, 'runs.log'), 'utf8').length : 0);
  const ensure = (): string => execFileSync(process.execPath, [join(dir, 'scripts/ensure-built.mjs')], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { dir, runs, ensure };
}

describe('npm start', () => {
  it('runs the built daemon after the up-to-date check, not the compiler', () => {
    expect(pkg.scripts.start).toBe('node scripts/ensure-built.mjs && node dist/src/main.js');
    // A fresh clone builds once, on install.
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  it('builds when dist/ is missing or older than a source, and not otherwise', () => {
    const p = fakePackage();
    try {
      p.ensure();
      expect(p.runs()).toBe(1);
      p.ensure();
      p.ensure();
      expect(p.runs()).toBe(1);
      // A source edited after the build.
      const later = new Date(Date.now() + 5000);
      utimesSync(join(p.dir, 'src/app/index.ts'), later, later);
      p.ensure();
      expect(p.runs()).toBe(2);
      p.ensure();
      expect(p.runs()).toBe(2);
      // dist/ deleted.
      rmSync(join(p.dir, 'dist'), { recursive: true });
      p.ensure();
      expect(p.runs()).toBe(3);
      expect(existsSync(join(p.dir, 'dist/src/main.js'))).toBe(true);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });

  it('builds the console with Vite when dist/console is missing or older than console/, and not otherwise', () => {
    const p = fakePackage();
    try {
      mkdirSync(join(p.dir, 'console/src'), { recursive: true });
      writeFileSync(join(p.dir, 'console/src/main.tsx'), 'export {};\n');
      writeFileSync(join(p.dir, 'console/vite.config.ts'), 'export default {};\n');
      mkdirSync(join(p.dir, 'node_modules/vite/bin'), { recursive: true });
      writeFileSync(
        join(p.dir, 'node_modules/vite/bin/vite.js'),
        `const fs = require('node:fs'); const path = require('node:path');
         const root = path.join(__dirname, '../../..');
         fs.mkdirSync(path.join(root, 'dist/console'), { recursive: true });
         fs.writeFileSync(path.join(root, 'dist/console/index.html'), '');
         fs.appendFileSync(path.join(root, 'vite-runs.log'), 'x');\n`,
      );
      const viteRuns = (): number => (existsSync(join(p.dir, 'vite-runs.log')) ? readFileSync(join(p.dir, 'vite-runs.log'), 'utf8').length : 0);
      p.ensure();
      expect([p.runs(), viteRuns()]).toEqual([1, 1]);
      p.ensure();
      expect([p.runs(), viteRuns()]).toEqual([1, 1]);
      const later = new Date(Date.now() + 5000);
      utimesSync(join(p.dir, 'console/src/main.tsx'), later, later);
      p.ensure();
      expect([p.runs(), viteRuns()]).toEqual([1, 2]);
      p.ensure();
      expect(viteRuns()).toBe(2);
      rmSync(join(p.dir, 'dist/console'), { recursive: true });
      p.ensure();
      expect([p.runs(), viteRuns()]).toEqual([1, 3]);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });
});
