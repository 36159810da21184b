import type { Issue } from './schema-dsl.js';

export const ConfigErrorCodes = {
  CONFIG_INVALID: 'the configuration has one or more invalid keys',
  CONFIG_UNREADABLE: 'the configuration file cannot be read or parsed',
} as const;
export type ConfigErrorCode = keyof typeof ConfigErrorCodes;

/** Stops start-up. The message lists every problem, each naming its key. */
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
