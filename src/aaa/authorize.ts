/**
 * The authorization decision: from a subscriber snapshot whose credentials the caller has already checked, decide
 * between normal service, the captive portal and a reject. Pure: no I/O, no clock read, no allocation per call
 * (the decisions are shared frozen objects).
 *
 * Order, first match wins:
 * 1. status `disabled`                                   → reject `disabled` (the operator switched the login off)
 * 2. status `suspended`                                  → redirect `suspended` (voluntary pause: the portal says so)
 * 3. any other status than `active`                      → reject `unknown_status` (fail closed on bad data)
 * 4. account not active: accountState `blocked`, or
 *    balance + creditLimit + activeCredit < 0             → redirect `blocked` (the portal lets them pay)
 * 5. no tariff                                           → reject `no_tariff` (nothing to shape or charge by)
 * 6. otherwise                                           → accept
 * A subscriber without a tariff who is also blocked or suspended still reaches the portal (4 before 5).
 */
import type { SubscriberSnapshot } from '../domain/types.js';
import { stateOfAllowance } from '../billing/core/allowance.js';

export type Decision =
  | { readonly kind: 'accept' }
  | { readonly kind: 'redirect'; readonly reason: 'blocked' | 'suspended' }
  | {
      readonly kind: 'reject';
      // `string & {}` keeps the named reasons visible to autocompletion while allowing others.
      readonly reason: 'unknown_user' | 'bad_password' | 'disabled' | 'mac_mismatch' | 'no_tariff' | 'unknown_status' | (string & {});
    };

const ACCEPT: Decision = Object.freeze({ kind: 'accept' });
const REDIRECT_BLOCKED: Decision = Object.freeze({ kind: 'redirect', reason: 'blocked' });
const REDIRECT_SUSPENDED: Decision = Object.freeze({ kind: 'redirect', reason: 'suspended' });
const REJECT_DISABLED: Decision = Object.freeze({ kind: 'reject', reason: 'disabled' });
const REJECT_NO_TARIFF: Decision = Object.freeze({ kind: 'reject', reason: 'no_tariff' });
const REJECT_UNKNOWN_STATUS: Decision = Object.freeze({ kind: 'reject', reason: 'unknown_status' });

/**
 * Decide from status and money. `now` is accepted for time-based rules; the snapshot already carries
 * `activeCredit` as the sum of the credits unexpired when it was built, so nothing reads it yet.
 *
 * @example
 * const decision = authorize(snapshot);
 * if (decision.kind === 'redirect') reply = profiles.redirect(nas.vendor, snapshot);
 */
export function authorize(snapshot: SubscriberSnapshot, _now?: Date): Decision {
  const status = snapshot.status;
  if (status === 'disabled') return REJECT_DISABLED;
  if (status === 'suspended') return REDIRECT_SUSPENDED;
  if (status !== 'active') return REJECT_UNKNOWN_STATUS;
  if (!accountActive(snapshot)) return REDIRECT_BLOCKED;
  if (snapshot.tariff === null) return REJECT_NO_TARIFF;
  return ACCEPT;
}

/**
 * The account may use the service: not blocked, and balance + permanent credit + temporary credit ≥ 0 (integer
 * minor units, so a credit that brings the sum to exactly 0 keeps the account active).
 */
export function accountActive(snapshot: Pick<SubscriberSnapshot, 'accountState' | 'balance' | 'creditLimit' | 'activeCredit'>): boolean {
  return snapshot.accountState !== 'blocked' && stateOfAllowance(snapshot) === 'active';
}

/**
 * Whether the Calling-Station-Id satisfies the subscriber's MAC binding. No binding → true. A binding and no (or an
 * unparsable) Calling-Station-Id → false; an unparsable stored binding → false (fail closed). The caller rejects
 * with `mac_mismatch` on false.
 *
 * @example
 * macAllowed({ ...snapshot, mac: 'aa:bb:cc:dd:ee:ff' }, 'AABB.CCDD.EEFF'); // true
 */
export function macAllowed(snapshot: Pick<SubscriberSnapshot, 'mac'>, callingStationId: string | undefined): boolean {
  if (snapshot.mac === null) return true;
  if (callingStationId === undefined) return false;
  const bound = normalizeMac(snapshot.mac);
  return bound !== undefined && bound === normalizeMac(callingStationId);
}

/**
 * A MAC address as lower-case `aa:bb:cc:dd:ee:ff`, from the spellings BRAS use in Calling-Station-Id:
 * `aa:bb:cc:dd:ee:ff` (also with one-digit groups, `0:1b:…`), `AA-BB-CC-DD-EE-FF`, Cisco `aabb.ccdd.eeff`,
 * `aabbcc-ddeeff`, and bare `aabbccddeeff`. One separator kind per address; anything else → undefined.
 */
export function normalizeMac(text: string): string | undefined {
  const s = text.trim();
  const sep = s.includes(':') ? ':' : s.includes('-') ? '-' : s.includes('.') ? '.' : '';
  const groups = sep === '' ? [s] : s.split(sep);
  let hex = '';
  if (groups.length === 6 && sep !== '.') {
    // Octet groups: 1 or 2 digits each (some BRAS drop leading zeros).
    for (const g of groups) {
      if (g.length < 1 || g.length > 2) return undefined;
      hex += g.length === 1 ? `0${g}` : g;
    }
  } else {
    // Equal-width groups: 3×4 (Cisco dots), 2×6, or one group of 12.
    const width = 12 / groups.length;
    if (!Number.isInteger(width) || (groups.length !== 1 && groups.length !== 2 && groups.length !== 3)) return undefined;
    for (const g of groups) {
      if (g.length !== width) return undefined;
      hex += g;
    }
  }
  if (!isHex(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}:${h.slice(10, 12)}`;
}

function isHex(s: string): boolean {
  if (s.length !== 12) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x66))) return false;
  }
  return true;
}
