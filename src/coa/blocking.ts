/**
 * Blocking and restoring live sessions when an account's state changes (blocked ↔ active): every active session
 * of the account gets its NAS's restrict or restore action (CoA, or Disconnect as the profile says or as the
 * fallback for a NAK).
 *
 * Reconciliation rather than events: the store records what the NAS was last told about each session. A pass
 * claims the sessions whose state disagrees with their account's (with several instances, and several workers,
 * receiving the same change event, each session is claimed by exactly one), sends the actions, and releases the
 * claim of any the NAS did not acknowledge so a later pass retries. A periodic pass over all accounts catches
 * events that were missed.
 */
import type { VendorProfiles } from '../aaa/vendor-profiles.js';
import type { VendorName } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import type { ChangeSource, CoaClaim, CoaRepository, SubscriberRepository } from '../domain/ports.js';
import { restore, restrict, type CoaTarget } from './actions.js';
import type { CoaClient } from './client.js';

export interface BlockingDeps {
  /** What the NAS was last told per session (`store.coa`). */
  readonly coaState: Pick<CoaRepository, 'claim' | 'release'>;
  readonly subscribers: Pick<SubscriberRepository, 'snapshot'>;
  readonly profiles: VendorProfiles;
  readonly coa: Pick<CoaClient, 'send'>;
  /** The NAS a session belongs to, by name (config and database clients), or undefined. */
  readonly nasByName: (name: string) => { readonly address: string; readonly secret: Buffer; readonly coaPort: number; readonly vendor: string } | undefined;
  readonly log: Logger;
}

export class BlockingService {
  private readonly passes = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly deps: BlockingDeps) {}

  /**
   * Brings the live sessions of these accounts (or of every account) in line with the accounts' states. After
   * stop() it claims nothing.
   */
  reconcile(accountIds: readonly number[] | null): Promise<{ claimed: number; acknowledged: number }> {
    if (this.stopping) return Promise.resolve({ claimed: 0, acknowledged: 0 });
    const pass = this.pass(accountIds);
    this.passes.add(pass);
    const done = (): void => void this.passes.delete(pass);
    pass.then(done, done);
    return pass;
  }

  /**
   * Starts no further pass and waits for those running, so that each releases what the NAS did not acknowledge
   * while the database is still there. Stop the CoA client first: its requests then fail at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.passes]);
  }

  private async pass(accountIds: readonly number[] | null): Promise<{ claimed: number; acknowledged: number }> {
    const { coaState, log } = this.deps;
    const claimed = await coaState.claim(accountIds);
    let acknowledged = 0;
    for (const claim of claimed) {
      const ok = await this.act(claim).catch((err: unknown) => {
        log.error({ err, session: claim.sessionId }, 'CoA action failed');
        return false;
      });
      if (ok) acknowledged++;
      else await coaState.release(claim);
    }
    if (claimed.length > 0) log.info({ claimed: claimed.length, acknowledged }, 'sessions brought in line with their accounts (CoA)');
    return { claimed: claimed.length, acknowledged };
  }

  /**
   * Follows the change feed: an account whose state may have changed is reconciled at once, and every account
   * after the feed was down (the events published meanwhile were lost).
   */
  async follow(changes: ChangeSource): Promise<void> {
    changes.onResync(() => this.reconcileQuietly(null));
    await changes.subscribe((event) => {
      if (event.kind === 'account') this.reconcileQuietly([event.id]);
    });
  }

  /** reconcile() for timers and events: a failure is logged, and the next pass retries. */
  reconcileQuietly(accountIds: readonly number[] | null): void {
    this.reconcile(accountIds).catch((err: unknown) => this.deps.log.error({ err }, 'CoA reconciliation failed; retrying on the next pass'));
  }

  private async act(claim: CoaClaim): Promise<boolean> {
    const { nasByName, subscribers, profiles, coa, log } = this.deps;
    const nas = nasByName(claim.nasName);
    if (!nas || nas.address.includes('/')) {
      log.warn({ session: claim.sessionId, nas: claim.nasName }, 'no single NAS address to send CoA to; the session keeps its service until it re-authenticates');
      return false;
    }
    const snapshot = await subscribers.snapshot(claim.username);
    if (!snapshot) return false;
    const target: CoaTarget = { name: claim.nasName, address: nas.address, secret: nas.secret, coaPort: nas.coaPort, vendor: nas.vendor as VendorName };
    const session = { id: claim.sessionId, username: claim.username, acctSessionId: claim.acctSessionId, framedIp: claim.framedIp };
    const outcome = claim.state === 'restricted'
      ? await restrict(coa, profiles, target, session, snapshot)
      : await restore(coa, profiles, target, session, snapshot);
    return outcome.ok;
  }
}
