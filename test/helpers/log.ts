/** A logger whose JSON lines a test can read back: `lines` holds every line written, parsed. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';

export interface LogSink {
  readonly lines: Record<string, unknown>[];
  /** The stream to hand to createLogger (or to a component that builds its own logger). */
  readonly stream: Writable;
}

export function logSink(): LogSink {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

/** A logger at `level` over a fresh sink. */
export function captureLog(level: Parameters<typeof createLogger>[0] = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const { lines, stream } = logSink();
  return { log: createLogger(level, stream), lines };
}
