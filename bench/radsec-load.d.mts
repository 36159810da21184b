// Types of bench/radsec-load.mjs (a plain Node script, outside the TypeScript build), for the tests that import it.
import type { Server } from 'node:tls';

export function md5(data: Buffer): Buffer;
export function md5Into(from: Int32Array, prefixLen: number, data: Buffer, off: number, len: number, out: Buffer, outOff: number): void;

export interface HmacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
  readonly digest: Buffer;
}
export function hmacKey(key: Buffer): HmacKey;
export function hmacInto(hk: HmacKey, data: Buffer, off: number, len: number, out: Buffer, outOff: number): void;

export class StreamFramer {
  constructor(onPacket: (buf: Buffer, off: number, len: number) => void, onBadLength: (len: number) => void);
  push(chunk: Buffer): void;
}

export class Histogram {
  constructor(maxMs: number);
  add(ms: number): void;
  quantile(q: number): number;
  readonly n: number;
  readonly max: number;
}

export function loadUsers(file: string | undefined, count: number): [string, string][];

export interface RunOptions {
  host: string;
  port: number;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  servername?: string;
  secret?: string;
  mode?: 'auth' | 'acct';
  users: [string, string][];
  window?: number;
  connections?: number;
  duration?: number;
  warmup?: number;
  timeoutMs?: number;
  interims?: number;
  total?: number;
  verbose?: boolean;
  log?: (line: string) => void;
}

export interface RunResult {
  mode: 'auth' | 'acct';
  rps: number;
  elapsed: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  avg: number;
  sent: number;
  sentWarm: number;
  ok: number;
  rejects: number;
  timeouts: number;
  bad: number;
  late: number;
  sessions: number;
  sessionsDone: number;
  stopsAcked: number;
}

export function run(options: RunOptions): Promise<RunResult>;
export function resultLine(r: RunResult): string;
export function parseArgs(argv: string[]): RunOptions;

export interface RespondOptions {
  host: string;
  port: number;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  secret?: string;
}
/** The trivial responder: resolves with the listening server. */
export function respond(options: RespondOptions): Promise<Server>;
