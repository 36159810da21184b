/**
 * When to (re)transmit a CoA or Disconnect request: RFC 5080 §2.2.1 style as FreeRADIUS does it for
 * RFC 5176 requests (irt=2 s, mrt=16 s, mrc=5, mrd=30 s; docs/reference.md §6), without the random jitter so the
 * schedule is predictable: the wait after try n is min(initial × 2^(n-1), max), cut at the overall deadline.
 */

export interface RetryPolicy {
  /** Wait after the first transmission (irt). */
  readonly initialMs: number;
  /** Longest wait between two transmissions (mrt). */
  readonly maxMs: number;
  /** Most transmissions, the first included (mrc). */
  readonly maxTries: number;
  /** Give up this long after the first transmission, whatever the tries left (mrd). */
  readonly maxDurationMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ initialMs: 2000, maxMs: 16_000, maxTries: 5, maxDurationMs: 30_000 });

/**
 * How long to wait for a reply after transmission number `tries` (1-based) that went out `elapsedMs` after the
 * first one; the request times out when that wait ends without a reply and `nextTransmission` says no.
 */
export function waitAfter(policy: RetryPolicy, tries: number, elapsedMs: number): number {
  const wait = Math.min(policy.initialMs * 2 ** (tries - 1), policy.maxMs);
  return Math.max(0, Math.min(wait, policy.maxDurationMs - elapsedMs));
}

/** Whether to transmit again after `tries` transmissions and `elapsedMs` since the first. */
export function shouldRetransmit(policy: RetryPolicy, tries: number, elapsedMs: number): boolean {
  return tries < policy.maxTries && elapsedMs < policy.maxDurationMs;
}

/**
 * The whole schedule when no reply ever comes: the send times (ms after the first) and when the request times out.
 * With the defaults: sends at 0, 2, 6 and 14 s, timeout at 30 s (mrd ends it before a fifth try).
 */
export function backoffSchedule(policy: RetryPolicy): { sends: number[]; timeoutAt: number } {
  const sends: number[] = [];
  let t = 0;
  for (;;) {
    sends.push(t);
    t += waitAfter(policy, sends.length, t);
    if (!shouldRetransmit(policy, sends.length, t)) return { sends, timeoutAt: t };
  }
}

/** Problems with a policy, one message each (empty when valid). */
export function checkRetryPolicy(policy: RetryPolicy): string[] {
  const problems: string[] = [];
  for (const key of ['initialMs', 'maxMs', 'maxTries', 'maxDurationMs'] as const) {
    const v = policy[key];
    if (!Number.isInteger(v) || v < 1) problems.push(`retry.${key} must be a positive integer, got ${String(v)}`);
  }
  if (policy.maxMs < policy.initialMs) problems.push(`retry.maxMs (${policy.maxMs}) is below retry.initialMs (${policy.initialMs})`);
  return problems;
}
