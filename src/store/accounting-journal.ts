/**
 * A durable accounting journal on local disk (JSON lines, like FreeRADIUS's `detail` file), written with
 * group commit: records arriving together are written in one write and one fdatasync, and each caller's
 * promise resolves only after that sync, so an Accounting-Response is never sent for a record the disk does
 * not hold. One file per UTC day under <dataDir>/accounting/.
 */
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface JournalRecord {
  readonly [key: string]: unknown;
}

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return `0x${Buffer.from((value as { data: number[] }).data).toString('hex')}`;
  }
  return value;
}

export class AccountingJournal {
  private queue: Pending[] = [];
  private writing = false;
  private file: { day: string; handle: FileHandle } | null = null;
  private readonly dir: string;
  private closed = false;

  constructor(dataDir: string, private readonly maxBatch = 4096) {
    this.dir = join(dataDir, 'accounting');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Resolves once the record is on disk (fdatasync done). */
  append(record: JournalRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('accounting journal is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record, jsonValue)}\n`, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.length > this.maxBatch ? this.queue.splice(0, this.maxBatch) : this.queue.splice(0);
        try {
          const handle = await this.handleFor(new Date());
          await handle.write(batch.map((p) => p.line).join(''));
          await handle.datasync();
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async handleFor(now: Date): Promise<FileHandle> {
    const day = now.toISOString().slice(0, 10);
    if (this.file?.day === day) return this.file.handle;
    const previous = this.file;
    const handle = await open(join(this.dir, `detail-${day}.jsonl`), 'a');
    this.file = { day, handle };
    if (previous) await previous.handle.close();
    return handle;
  }

  /** Waits for queued records, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.file?.handle.close();
    this.file = null;
  }
}
