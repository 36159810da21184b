/**
 * At most one log line per key (a source address, or a client and a reason) per interval: a NAS with the wrong
 * secret or a broken firmware sends the same bad packet thousands of times a minute, and the log must stay
 * readable. The counters (tollgate_radius_dropped_total) still count every event; the line that is written says
 * how many were left out since the previous one.
 */
export class LogLimiter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    /** Keys remembered at most; past it the memory is cleared (a flood of sources must not grow it unbounded). */
    private readonly maxKeys = 10_000,
  ) {}

  /**
   * Whether to log now for `key`; when it is, `suppressed` is how many events of the key were not logged since.
   * Returns -1 when this event is not to be logged.
   */
  admit(key: string, now = Date.now()): number {
    const seen = this.last.get(key);
    if (seen !== undefined && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return -1;
    }
    if (seen === undefined && this.last.size >= this.maxKeys) this.last.clear();
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { at: now, suppressed: 0 });
    return suppressed;
  }
}
