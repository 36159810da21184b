import type { Issue } from '../schema/index.js';

/** A problem in the configuration: the dotted key, the message, and the source (the file or the variable). */
export type { Issue };

export const ConfigErrorCodes = {
  CONFIG_INVALID: 'the configuration has one or more invalid keys',
  CONFIG_UNREADABLE: 'the configuration file cannot be read or parsed',
} as const;
export type ConfigErrorCode = keyof typeof ConfigErrorCodes;

/** Stops start-up. The message lists every problem, each naming its key and where the value came from. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly issues: readonly Issue[];
  constructor(code: ConfigErrorCode, message: string, issues: readonly Issue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.issues = issues;
  }
}
