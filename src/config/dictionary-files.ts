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
import { RadiusError } from '../radius/errors.js';
import { ConfigError } from './errors.js';
import type { Config } from './schema.js';

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

/**
 * The shipped dictionary, then `radius.dictionaries` (relative to `cwd`), as the daemon and `tollgate config
 * check` load them. A file that is missing or does not parse is a ConfigError naming the key, the file and the
 * line (exit 78), not a crash.
 */
export function loadConfiguredDictionary(config: Config, shippedDictionary: string, cwd = process.cwd()): Dictionary {
  const files = config.radius.dictionaries.map((f) => resolve(cwd, f));
  try {
    return loadDictionaryFiles([shippedDictionary, ...files]);
  } catch (err) {
    if (!(err instanceof RadiusError) || !err.code.startsWith('DICT_')) throw err;
    // The message starts with file:line (line 0: the file could not be read at all).
    const message = err.message.replace(/^(.*?):0: /, '$1: ');
    throw new ConfigError('CONFIG_INVALID', `config: radius.dictionaries: ${message}`, [{ key: 'radius.dictionaries', message }], { cause: err });
  }
}
