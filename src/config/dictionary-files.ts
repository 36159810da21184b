/**
 * Dictionary files from disk: the protocol core (src/radius) parses dictionaries but does no I/O, so reading the
 * files, and what an `$INCLUDE` name refers to, live here. Errors still name `file:line` (the parser adds them).
 *
 * @example
 * const dict = loadDictionaryFiles([shippedDictionary(), '/etc/tollgate/dictionary.local']);
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Dictionary, type DictionaryFiles } from '../radius/dictionary.js';

/** `$INCLUDE` relative to the including file's folder, as FreeRADIUS resolves it. */
export const diskDictionaryFiles: DictionaryFiles = {
  resolve: (target, from) => (from === undefined ? resolve(target) : isAbsolute(target) ? target : resolve(dirname(from), target)),
  read: (path) => readFileSync(path, 'utf8'),
  exists: (path) => existsSync(path),
};

/** Load dictionary files in order (later files add to and override earlier ones). Synchronous. */
export function loadDictionaryFiles(paths: readonly string[]): Dictionary {
  return Dictionary.fromFiles(paths, diskDictionaryFiles);
}

/** Parse dictionary text whose `$INCLUDE`s are read from disk, relative to `filename`'s folder. */
export function parseDictionaryText(text: string, filename: string): Dictionary {
  return Dictionary.parse(text, filename, diskDictionaryFiles);
}
