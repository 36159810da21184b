/**
 * The one shape of a validation problem, whoever finds it: the config loader (key `radius.authPort`, source the
 * file or the environment variable), the API validator (key = the body field or query parameter) and the store's
 * checks the CLI goes through. Each entry point wraps a list of them in its own error (ConfigError, ApiError's
 * VALIDATION_FAILED details, SchemaError).
 */
import type { IssueCode } from './field.js';

export interface Issue {
  /** The dotted key or field name (`clients[1].secret`, `username`); '' for the whole input. */
  readonly key: string;
  /** For people; does not repeat the value of a secret. */
  readonly message: string;
  /** Where the value came from when there is more than one place (a file path, an environment variable). */
  readonly source?: string;
  /** An error code other than the plain validation failure (money beyond ±10^15). */
  readonly code?: IssueCode;
}

/**
 * Input that failed validation outside the API and the config (the store's checks, so the CLI and the CSV import):
 * a RangeError, as the store always threw, whose message names every field.
 */
export class SchemaError extends RangeError {
  override readonly name = 'SchemaError';
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    // "secret: must be at least 8 characters", the form the store's RangeErrors always had.
    super(issues.map(fieldFirst).join('; '));
    this.issues = issues;
  }
}

/** `key: message`, without the key twice when the message already starts with it (the API's form). */
function fieldFirst(i: Issue): string {
  if (!i.key) return i.message;
  return i.message.startsWith(`${i.key} `) ? `${i.key}: ${i.message.slice(i.key.length + 1)}` : `${i.key}: ${i.message}`;
}
