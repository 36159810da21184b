/** SQL helper of the accounting writer: one statement out of several independent writes (one round trip). */
import type { Sql } from '../sql.js';

/**
 * Collects independent write statements and their parameters, and runs them as one statement: every part but
 * the last becomes a data-modifying CTE. PostgreSQL runs every such CTE exactly once, on one snapshot, whether
 * or not it is referenced, in an unspecified order (unreferenced ones after the main statement); the parts must
 * therefore not depend on each other's effects or order (each writes a different table). Unique constraints are
 * checked per row as each part runs; foreign keys (after-row triggers) at the end of the whole statement.
 */
export class StatementBuilder {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a parameter; returns its placeholder. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(statement: string): void {
    this.parts.push(statement);
  }

  /** Runs the statement; returns the rows of the last part (its RETURNING, if any). */
  async run<T = Record<string, unknown>>(tx: Sql): Promise<T[]> {
    if (this.parts.length === 0) return [];
    const last = this.parts.length - 1;
    const text =
      last === 0
        ? (this.parts[0] as string)
        : `WITH ${this.parts
            .slice(0, last)
            .map((p, i) => `w${i} AS (${p})`)
            .join(',\n')}\n${this.parts[last] as string}`;
    return tx.query<T>(text, this.params);
  }
}
