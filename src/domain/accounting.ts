/**
 * An accounting record as Tollgate keeps it: what one Accounting-Request said, decoded from RADIUS by
 * aaa/accounting-record.ts and rated by billing/. Plain data, no I/O.
 */
import type { AccountState } from './types.js';

export type AccountingStatus = 'start' | 'stop' | 'interim-update' | 'accounting-on' | 'accounting-off' | 'other';

/** One octet counter as the NAS reported it. */
export interface OctetCounter {
  /** gigawords × 2^32 + octets (gigawords 0 when absent). */
  readonly bytes: bigint;
  /** Whether Acct-*-Gigawords was present (without it a 32-bit wrap is inferred from a large drop). */
  readonly gigawords: boolean;
}

export interface AccountingRecord {
  readonly nas: string;
  readonly status: AccountingStatus;
  /** Acct-Status-Type as sent. */
  readonly statusType: number;
  /** Acct-Session-Id ('' on Accounting-On/Off and 'other' when absent). */
  readonly acctSessionId: string;
  readonly username: string;
  readonly framedIp: string | null;
  readonly callingStationId: string | null;
  /** NAS-Port-Id, or NAS-Port as decimal text. */
  readonly nasPort: string | null;
  /** Acct-Session-Time in seconds, null when absent. */
  readonly sessionTime: bigint | null;
  readonly input: OctetCounter | null;
  readonly output: OctetCounter | null;
  /** When the event happened (Event-Timestamp, else receivedAt − Acct-Delay-Time). */
  readonly eventTime: Date;
  readonly receivedAt: Date;
  readonly delayTime: number;
  /** Acct-Terminate-Cause name (or the number as text when unknown), null when absent. */
  readonly terminateCause: string | null;
  /**
   * What the Access-Accept that let this session in said, as the NAS echoed it in Class
   * (`tollgate:restricted` / `tollgate:normal`); null when no such Class came back.
   */
  readonly answered: AnsweredService | null;
  /** Set on a held record an operator approved (journaled again by the review API): apply it to that session. */
  readonly approved?: ApprovedHeld;
}

export type AnsweredService = 'restricted' | 'normal';

export interface ApprovedHeld {
  readonly heldId: number;
  /** The session it was held for (null when that session is gone). */
  readonly sessionId: number | null;
}

/** The Class values Tollgate puts in its Access-Accepts (and restricted Access-Rejects). */
export const CLASS_RESTRICTED = 'tollgate:restricted';
export const CLASS_NORMAL = 'tollgate:normal';

/** The plausibility limits and clock tolerance of rating (config `accounting.*`, docs/accounting.md). */
export interface RatingRules {
  readonly maxClockSkewSeconds: number;
  readonly maxRateBitsPerSecond: number;
  readonly maxSessionSeconds: number;
}

/** What a batch of rating did besides its rows, for the counters. */
export interface RatingStats {
  /** Records of sessions already final (stale copies), and approved records whose session is gone. */
  afterStop: number;
  approvedMissing: number;
  clamped: number;
}

/** An account whose state (active/blocked) a write changed, or whose sessions must be told it (CoA). */
export interface AccountStateChange {
  readonly accountId: number;
  readonly state: AccountState;
}
