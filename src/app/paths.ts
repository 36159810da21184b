import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json and dictionaries/ are), from src/ or dist/src/ alike. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dictionaries'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the tollgate package root (package.json + dictionaries/)');
}

export function shippedDictionary(): string {
  return join(packageRoot(), 'dictionaries', 'dictionary');
}
