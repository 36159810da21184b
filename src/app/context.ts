/** What the composition root hands every role: the shared parts, built once, and the running configuration. */
import type { VendorProfiles } from '../aaa/vendor-profiles.js';
import type { CoaClient } from '../coa/client.js';
import type { Config } from '../config/schema.js';
import type { ChangeFeed, ChangeSource, HotCache, Store } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Dictionary } from '../radius/dictionary.js';
import type { Lifecycle } from './lifecycle.js';

export interface AppContext {
  /** The configuration now (a reload swaps it). */
  readonly config: () => Config;
  readonly log: Logger;
  readonly life: Lifecycle;
  readonly dictionary: Dictionary;
  readonly profiles: VendorProfiles;
  readonly store: Store;
  /** Which database the store runs on (PGlite rates in smaller passes: it runs one transaction at a time). */
  readonly databaseKind: 'postgres' | 'pglite';
  readonly cache: HotCache;
  /** Account, subscriber and NAS changes, to every instance. */
  readonly changes: ChangeFeed & ChangeSource;
  /** RFC 5176 client: blocking/restoring live sessions (RADIUS role) and the API's disconnect (admin role). */
  readonly coa: CoaClient;
}

/** Logs a failed publish: another instance may serve stale state until its next resync. */
export function publishAccounts(ctx: Pick<AppContext, 'changes' | 'log'>, accountIds: Iterable<number>, what = 'account change not published; other instances may serve stale state'): void {
  for (const id of accountIds) {
    ctx.changes.publish({ kind: 'account', id }).catch((err: unknown) => ctx.log.error({ err, accountId: id }, what));
  }
}
