/**
 * When a silent session counts as stale (its Stop was lost): after it missed `sessions.staleAfterMissedInterims`
 * Interim-Updates at its NAS's interval. The interval is the Acct-Interim-Interval Tollgate answers that NAS's
 * vendor with (the profile's accept template, with the profile's `vars`: 300 s in every built-in profile), so a
 * BRAS told to report every 900 s is not declared stale after 1200 s of silence, and one told 60 s is not
 * counted for 20 minutes after it went away. `sessions.staleAfterSeconds`, when set, is one limit for every
 * NAS instead.
 *
 * Stale sessions are not counted against Simultaneous-Use (aaa/open-sessions.ts and the store's count) and are
 * closed by the stale sweep (app/housekeeping.ts); both use the same limits.
 */
import type { StaleLimits } from '../domain/ports.js';
import type { VendorName } from '../domain/types.js';
import { DEFAULT_PROFILES, mergeProfile, type ProfileOverrides } from './vendor-profiles.js';

/** No limit is shorter: a NAS that reports very often must still not lose its sessions to a short hiccup. */
export const MIN_STALE_SECONDS = 60;
/** The interval assumed for a profile that sends no Acct-Interim-Interval (the NAS's own default is unknown). */
export const DEFAULT_INTERIM_SECONDS = 300;

export interface StaleSettings {
  readonly sessions: { readonly staleAfterSeconds?: number | undefined; readonly staleAfterMissedInterims: number };
  readonly vendors?: ProfileOverrides | undefined;
}

/** A NAS as the limits need it: the name sessions carry, and the vendor whose profile it is answered with. */
export interface StaleNas {
  readonly name: string;
  readonly vendor: string;
}

/**
 * The Acct-Interim-Interval the profile sends, in seconds: its accept template's value with `${var}` taken from
 * the profile's vars; undefined when it sends none, or one that is not a positive whole number.
 */
export function profileInterimInterval(vendor: VendorName, overrides: ProfileOverrides | undefined): number | undefined {
  const profile = mergeProfile(DEFAULT_PROFILES[vendor], overrides?.[vendor]);
  const entry = Object.entries(profile.accept).find(([name]) => name.toLowerCase() === 'acct-interim-interval');
  if (entry === undefined) return undefined;
  const raw = entry[1];
  if (Array.isArray(raw)) return undefined;
  const text = String(raw).replace(/\$\{(\w+)\}/g, (_, name: string) => String(profile.vars[name] ?? ''));
  const seconds = Number(text);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : undefined;
}

/** The limits for these NAS (those of the default are left out of byNas). */
export function staleLimits(settings: StaleSettings, nas: readonly StaleNas[]): StaleLimits {
  const fixed = settings.sessions.staleAfterSeconds;
  if (fixed !== undefined) return { defaultSeconds: fixed, byNas: {} };
  const missed = settings.sessions.staleAfterMissedInterims;
  const limit = (interval: number) => Math.max(MIN_STALE_SECONDS, missed * interval);
  const defaultSeconds = limit(DEFAULT_INTERIM_SECONDS);
  const byVendor = new Map<string, number>();
  // No prototype: a NAS may be called `constructor`.
  const byNas: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const n of nas) {
    let seconds = byVendor.get(n.vendor);
    if (seconds === undefined) {
      const interval = n.vendor in DEFAULT_PROFILES ? profileInterimInterval(n.vendor as VendorName, settings.vendors) : undefined;
      seconds = limit(interval ?? DEFAULT_INTERIM_SECONDS);
      byVendor.set(n.vendor, seconds);
    }
    if (seconds !== defaultSeconds) byNas[n.name] = seconds;
  }
  return { defaultSeconds, byNas };
}

/** The limit of one NAS's sessions. */
export function staleSecondsFor(limits: StaleLimits, nas: string): number {
  return Object.hasOwn(limits.byNas, nas) ? (limits.byNas[nas] as number) : limits.defaultSeconds;
}

/** The shortest limit of any NAS (what a sweep can pre-filter with). */
export function shortestStaleSeconds(limits: StaleLimits): number {
  let min = limits.defaultSeconds;
  for (const s of Object.values(limits.byNas)) if (s < min) min = s;
  return min;
}
