/**
 * Blocking and restoring live sessions when an account's state changes (blocked ↔ active): every active session
 * of the account gets its NAS's restrict or restore action (CoA, or Disconnect as the profile says or as the
 * fallback for a NAK).
 *
 * Reconciliation rather than events: `sessions.coa_state` records what the NAS was last told. A pass claims
 * the sessions whose coa_state disagrees with their account's state with one UPDATE … RETURNING — with several
 * instances (and several workers) receiving the same change event, each session is claimed by exactly one —
 * sends the actions, and reverts the claim of any the NAS did not acknowledge so a later pass retries. A
 * periodic pass over all accounts catches events that were missed.
 */
import type { VendorProfiles } from '../aaa/vendor-profiles.js';
import type { VendorName } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import type { Sql, SubscriberRepository } from '../domain/ports.js';
import { restore, restrict, type CoaTarget } from './actions.js';
import type { CoaClient } from './client.js';

interface ClaimedRow {
  id: number;
  username: string;
  acct_session_id: string;
  framed_ip: string | null;
  nas_name: string;
  /** The state just claimed; the previous one is the other (there are two). */
  coa_state: 'normal' | 'restricted';
}

const DESIRED = `CASE a.state WHEN 'blocked' THEN 'restricted' ELSE 'normal' END`;

/** Claims the mismatched active sessions of the given accounts (all accounts when `accountIds` is null). */
const CLAIM = `
UPDATE sessions s SET coa_state = ${DESIRED}
FROM accounts a
WHERE s.account_id = a.id AND s.stopped_at IS NULL
  AND ($1::bigint[] IS NULL OR a.id = ANY($1::bigint[]))
  AND s.coa_state <> ${DESIRED}
RETURNING s.id, s.username, s.acct_session_id, host(s.framed_ip) AS framed_ip, s.nas_name, s.coa_state`;

export interface BlockingDeps {
  readonly sql: Sql;
  readonly subscribers: SubscriberRepository;
  readonly profiles: VendorProfiles;
  readonly coa: CoaClient;
  /** The NAS a session belongs to, by name (config and database clients), or undefined. */
  readonly nasByName: (name: string) => { readonly address: string; readonly secret: Buffer; readonly coaPort: number; readonly vendor: string } | undefined;
  readonly log: Logger;
}

export class BlockingService {
  constructor(private readonly deps: BlockingDeps) {}

  /** Brings the live sessions of these accounts (or of every account) in line with the accounts' states. */
  async reconcile(accountIds: readonly number[] | null): Promise<{ claimed: number; acknowledged: number }> {
    const { sql, log } = this.deps;
    const claimed = await sql.query<ClaimedRow>(CLAIM, [accountIds === null ? null : [...accountIds]]);
    let acknowledged = 0;
    for (const row of claimed) {
      const ok = await this.act(row).catch((err: unknown) => {
        log.error({ err, session: row.id }, 'CoA action failed');
        return false;
      });
      if (ok) acknowledged++;
      else {
        const previous = row.coa_state === 'restricted' ? 'normal' : 'restricted';
        await sql.query('UPDATE sessions SET coa_state = $2 WHERE id = $1 AND coa_state = $3', [row.id, previous, row.coa_state]);
      }
    }
    if (claimed.length > 0) log.info({ claimed: claimed.length, acknowledged }, 'sessions brought in line with their accounts (CoA)');
    return { claimed: claimed.length, acknowledged };
  }

  private async act(row: ClaimedRow): Promise<boolean> {
    const { nasByName, subscribers, profiles, coa, log } = this.deps;
    const nas = nasByName(row.nas_name);
    if (!nas || nas.address.includes('/')) {
      log.warn({ session: row.id, nas: row.nas_name }, 'no single NAS address to send CoA to; the session keeps its service until it re-authenticates');
      return false;
    }
    const snapshot = await subscribers.snapshot(row.username);
    if (!snapshot) return false;
    const target: CoaTarget = { name: row.nas_name, address: nas.address, secret: nas.secret, coaPort: nas.coaPort, vendor: nas.vendor as VendorName };
    const session = { id: row.id, username: row.username, acctSessionId: row.acct_session_id, framedIp: row.framed_ip };
    const outcome = row.coa_state === 'restricted'
      ? await restrict(coa, profiles, target, session, snapshot)
      : await restore(coa, profiles, target, session, snapshot);
    return outcome.ok;
  }
}
