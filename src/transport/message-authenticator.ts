/**
 * `requireMessageAuthenticator: auto` (FreeRADIUS 3.2.5+): a client is not required to send Message-Authenticator
 * until it has sent a valid one, then it is for good. The first sighting flips the client in memory at once (the
 * very next request without one is dropped) and is stored off the reply path; a store that fails is logged and
 * retried with backoff, never waited for. The flip is remembered here by the client's key, so a client table
 * rebuilt before the store has it (a reload, an API change) keeps it.
 */
import type { Logger } from '../observability/logger.js';
import type { NasClient } from './nas-table.js';

/** Stores a sighting (the row's column, or the config client's address); resolves true when it was the first. */
export type RecordSighting = (client: NasClient) => Promise<boolean>;

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;

export class MessageAuthenticatorWatch {
  private readonly keys = new Set<string>();
  /** Flipped clients not stored yet, by key. */
  private readonly pending = new Map<string, NasClient>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private retryMs = RETRY_FIRST_MS;
  private stopped = false;

  constructor(
    private readonly record: RecordSighting,
    private readonly log: Logger,
  ) {}

  /** Whether this process flipped the client with this key (the table keeps it on rebuild). */
  flipped(key: string): boolean {
    return this.keys.has(key);
  }

  /** The first valid Message-Authenticator from an auto client: required from now on; logged once; stored soon. */
  flip(client: NasClient): void {
    client.requireMessageAuthenticator = true;
    if (this.keys.has(client.key)) return;
    this.keys.add(client.key);
    this.log.info(
      { nas: client.name, address: client.address },
      'NAS sent a valid Message-Authenticator: from now on Access-Requests without one are dropped (requireMessageAuthenticator auto)',
    );
    this.pending.set(client.key, client);
    this.schedule(0);
  }

  /** Flipped clients whose sighting is not stored yet (tests, stop). */
  get unsaved(): number {
    return this.pending.size;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writeAll().then((retryInMs) => {
        this.writing = null;
        if (this.pending.size > 0) this.schedule(retryInMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Stores what is pending; resolves to the delay before the next attempt (0 when nothing failed). */
  private async writeAll(): Promise<number> {
    for (const [key, client] of [...this.pending]) {
      try {
        await this.record(client);
        this.pending.delete(key);
        this.retryMs = RETRY_FIRST_MS;
      } catch (err) {
        // The client stays flipped in memory; the sighting is retried so a restart keeps it too.
        const retryInMs = this.retryMs;
        this.retryMs = Math.min(retryInMs * 2, RETRY_MAX_MS);
        this.log.error({ err, nas: client.name, retryInMs }, 'could not store that the NAS sends Message-Authenticator; retrying');
        return retryInMs;
      }
    }
    return 0;
  }

  /** Stops retrying; a write in progress finishes. Called before the store closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    // One last try for what the timer had not written yet (a flip just before stop).
    if (this.pending.size > 0) await this.writeAll();
    if (this.pending.size > 0) {
      this.log.warn({ clients: [...this.pending.values()].map((c) => c.name) }, 'stopping with Message-Authenticator sightings not stored; they are made again on the next valid one');
    }
  }
}
