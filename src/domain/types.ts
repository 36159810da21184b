/**
 * Domain types shared by the stores, the API and the AAA core. Money is integer minor units (a JS number that
 * is always a safe integer; SQL BIGINT). Times are ISO-8601 strings in UTC at the edges.
 */

export const VENDORS = ['generic', 'mikrotik', 'accel-ppp', 'cisco', 'juniper', 'huawei', 'ericsson', 'vasexperts'] as const;
export type VendorName = (typeof VENDORS)[number];

export const SUBSCRIBER_STATUSES = ['active', 'suspended', 'disabled'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export const ACCOUNT_STATES = ['active', 'blocked'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

/**
 * Whether a NAS must send Message-Authenticator in Access-Requests (BlastRADIUS): always, never, or `auto` — not
 * until it has sent a valid one once, then for good (FreeRADIUS 3.2.5+).
 */
export type MessageAuthenticatorRequirement = boolean | 'auto';

export interface Nas {
  readonly id: number;
  readonly name: string;
  /** An address or CIDR. */
  readonly address: string;
  readonly secret: string;
  readonly vendor: VendorName;
  readonly coaPort: number;
  readonly requireMessageAuthenticator: MessageAuthenticatorRequirement;
  readonly limitProxyState: boolean;
  /** requireMessageAuthenticator auto: when the NAS first sent a valid Message-Authenticator (from then on required), else null. */
  readonly messageAuthenticatorSeenAt: string | null;
  /** RadSec: the certificate subject CN or a subjectAltName the NAS must present besides its address; null: none. */
  readonly tlsName: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Tariff {
  readonly id: number;
  readonly name: string;
  /** Minor units per calendar month, charged daily. */
  readonly monthlyFee: number;
  readonly downKbps: number;
  readonly upKbps: number;
  /** Minor units per 10^9 bytes beyond includedBytes per calendar month. */
  readonly pricePerGB: number;
  readonly includedBytes: number;
  /** Minor units per minute of session time. */
  readonly pricePerMinute: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Account {
  readonly id: number;
  /** Read-only through the API: changed by payments, adjustments and charges only. */
  readonly balance: number;
  /** Permanent credit: the account stays active while balance + creditLimit + active temporary credits ≥ 0. */
  readonly creditLimit: number;
  /** Sum of unexpired temporary credits. */
  readonly activeCredit: number;
  readonly state: AccountState;
  /** When the current state began (blocking is a dated state, not a flag). */
  readonly stateSince: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Subscriber {
  readonly id: number;
  readonly username: string;
  readonly accountId: number;
  readonly tariffId: number | null;
  readonly framedIp: string | null;
  readonly framedPool: string | null;
  /** Calling-Station-Id binding (normalised aa:bb:cc:dd:ee:ff), or null. */
  readonly mac: string | null;
  /** Simultaneous-Use limit, or null for no limit. */
  readonly simultaneousUse: number | null;
  readonly status: SubscriberStatus;
  /** Which credentials are stored (the secrets themselves are never returned). */
  readonly hasCleartextPassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A tariff change scheduled for a later fee day (`PATCH /api/v1/subscribers/{id} { tariffId, effective:
 * "next-period" }`): the pending row of tariff_changes, at most one per subscriber. The fee scheduler applies it
 * before it charges `effectiveOn` (docs/schema.md, `tariff_changes`).
 */
export interface ScheduledTariffChange {
  readonly tariffId: number;
  readonly tariffName: string;
  /** The first fee day on the new tariff ('YYYY-MM-DD', fee time zone). */
  readonly effectiveOn: string;
}

/** What the AAA core needs about one subscriber, in one read: subscriber + account + tariff + credentials. */
export interface SubscriberSnapshot {
  readonly subscriberId: number;
  readonly username: string;
  readonly status: SubscriberStatus;
  /** Cleartext password when stored (PAP, CHAP, MS-CHAPv2), else null. */
  readonly password: string | null;
  /** NT hash, 32 hex digits (PAP, MS-CHAPv2). Always present when a password is set. */
  readonly ntHash: string | null;
  readonly framedIp: string | null;
  readonly framedPool: string | null;
  readonly mac: string | null;
  readonly simultaneousUse: number | null;
  readonly accountId: number;
  readonly balance: number;
  readonly creditLimit: number;
  readonly activeCredit: number;
  readonly accountState: AccountState;
  readonly tariff: Pick<Tariff, 'id' | 'name' | 'downKbps' | 'upKbps'> | null;
}

/** A stored auth-log entry: the entry and its id (the tie-breaker of entries with the same `at`). */
export type AuthLogRecord = AuthLogEntry & { readonly id: number };

export interface AuthLogEntry {
  readonly at: string;
  readonly username: string;
  readonly nas: string;
  /** accept | redirect | reject */
  readonly result: 'accept' | 'redirect' | 'reject';
  /** Reject or redirect reason (unknown_user, bad_password, disabled, blocked, suspended, …), null on accept. */
  readonly reason: string | null;
  readonly method: string;
  readonly callingStationId: string | null;
  readonly nasPort: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}
