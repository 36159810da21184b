/**
 * The batched UDP socket: the native addon of native/udp-batch (recvmmsg/sendmmsg on a socket libuv polls),
 * loaded here and only here. Receiving, one native callback carries every datagram of a recvmmsg call (one
 * Buffer, offsets, lengths, ports and sender indexes in an Int32Array this socket owns); sending, replies are
 * queued and leave in one sendmmsg at the end of the batch being handled, or at setImmediate for replies that
 * complete later (promises), so a burst costs a few syscalls rather than two per datagram.
 *
 * The addon is optional: `npm install` builds it when it can (scripts/build-native.mjs); loadUdpBatch() says
 * why it is not there, and the server then uses node:dgram (udp-endpoint.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { EndpointOptions, UdpEndpoint } from './udp-endpoint.js';

/** Datagrams per recvmmsg/sendmmsg call. */
const BATCH = 64;
/** RFC 2865 §3: a RADIUS packet is at most 4096 octets; a longer datagram is dropped, never delivered in part. */
export const MAX_DATAGRAM = 4096;
const META_FIELDS = 4;

type AddonHandle = { readonly __udpBatch: never };

/** Counters the addon keeps per socket. */
export interface BatchSocketStats {
  readonly received: number;
  readonly batches: number;
  readonly truncated: number;
  readonly sent: number;
  readonly queued: number;
  readonly sendDropped: number;
  readonly sendErrors: number;
}

/** native/udp-batch/src/udp_batch.cc. */
interface UdpBatchAddon {
  open(
    options: { address: string; port: number; ipv6: boolean; reusePort: boolean; groupSize: number; recvBufferBytes: number; sendBufferBytes: number; batch: number; maxDatagram: number },
    meta: Int32Array,
    onBatch: (data: Buffer, count: number, addresses: string[], truncated: number) => void,
    onError: (err: Error) => void,
  ): AddonHandle;
  send(handle: AddonHandle, buffers: Buffer[], ports: number[], addresses: string[], count: number): Error | undefined;
  info(handle: AddonHandle): { address: string; port: number; family: string; recvBufferSize: number; sendBufferSize: number };
  stats(handle: AddonHandle): BatchSocketStats;
  close(handle: AddonHandle, onClosed: () => void): void;
}

export type AddonLoad = { readonly ok: true; readonly addon: UdpBatchAddon } | { readonly ok: false; readonly reason: string };

/**
 * Where `npm install` builds the addon, relative to this file both in src/transport (tests, tsx) and in
 * dist/src/transport (the daemon, the image).
 */
export function defaultAddonFile(): string {
  const relative = 'native/udp-batch/build/Release/udp_batch.node';
  const candidates = [new URL(`../../${relative}`, import.meta.url), new URL(`../../../${relative}`, import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((f) => existsSync(f)) ?? (candidates[0] as string);
}

const loaded = new Map<string, AddonLoad>();

/** The addon at `file` (default: where the install builds it), or why it cannot be used. Loaded once per file. */
export function loadUdpBatch(file: string = defaultAddonFile()): AddonLoad {
  let result = loaded.get(file);
  if (result) return result;
  if (process.platform !== 'linux') result = { ok: false, reason: `recvmmsg/sendmmsg are Linux only (this is ${process.platform})` };
  else if (!existsSync(file)) result = { ok: false, reason: `the addon was not built (${file} is missing; see scripts/build-native.mjs)` };
  else {
    try {
      const addon = createRequire(import.meta.url)(file) as UdpBatchAddon;
      result = typeof addon.open === 'function' ? { ok: true, addon } : { ok: false, reason: `${file} is not the udp-batch addon` };
    } catch (err) {
      result = { ok: false, reason: `the addon did not load: ${(err as Error).message}` };
    }
  }
  loaded.set(file, result);
  return result;
}

export class BatchSocket implements UdpEndpoint {
  readonly io = 'batch' as const;
  readonly port: number;
  readonly recvBufferSize: number;
  private readonly handle: AddonHandle;
  private readonly meta = new Int32Array(BATCH * META_FIELDS);
  // Replies waiting for the next sendmmsg.
  private buffers: Buffer[] = [];
  private ports: number[] = [];
  private addresses: string[] = [];
  private delivering = false;
  private flushScheduled = false;
  private closed = false;

  /** Opens and binds (synchronously); throws the errno error (code EADDRINUSE, EADDRNOTAVAIL, …). */
  constructor(
    private readonly addon: UdpBatchAddon,
    private readonly options: EndpointOptions & { readonly reusePort: boolean; readonly groupSize?: number },
  ) {
    this.handle = addon.open(
      {
        address: options.address,
        port: options.port,
        ipv6: options.address.includes(':'),
        reusePort: options.reusePort,
        // The workers' sockets share the load by RADIUS Identifier, not by the sender's address (udp_batch.cc).
        groupSize: options.reusePort ? (options.groupSize ?? 0) : 0,
        recvBufferBytes: options.receiveBufferBytes,
        sendBufferBytes: options.sendBufferBytes,
        batch: BATCH,
        maxDatagram: MAX_DATAGRAM,
      },
      this.meta,
      (data, count, addresses, truncated) => this.deliver(data, count, addresses, truncated),
      (err) => options.onError(err),
    );
    const info = addon.info(this.handle);
    this.port = info.port;
    this.recvBufferSize = info.recvBufferSize;
  }

  private deliver(data: Buffer, count: number, addresses: string[], truncated: number): void {
    if (truncated > 0) this.options.onTruncated(truncated);
    const meta = this.meta;
    this.delivering = true;
    try {
      // A handler may close the socket: nothing is delivered after close(), not even the rest of this batch.
      for (let i = 0, m = 0; i < count && !this.closed; i++, m += META_FIELDS) {
        const offset = meta[m] as number;
        this.options.onMessage(data.subarray(offset, offset + (meta[m + 1] as number)), addresses[meta[m + 3] as number] as string, meta[m + 2] as number);
      }
    } finally {
      this.delivering = false;
      // The replies the handlers gave synchronously leave together, before the next batch is read.
      this.flush();
    }
  }

  send(bytes: Buffer, port: number, address: string): void {
    if (this.closed) return;
    this.buffers.push(bytes);
    this.ports.push(port);
    this.addresses.push(address);
    if (this.delivering || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const n = this.buffers.length;
    if (n === 0 || this.closed) return;
    const buffers = this.buffers;
    const ports = this.ports;
    const addresses = this.addresses;
    this.buffers = [];
    this.ports = [];
    this.addresses = [];
    const err = this.addon.send(this.handle, buffers, ports, addresses, n);
    if (err) this.options.onError(err);
  }

  stats(): BatchSocketStats {
    return this.addon.stats(this.handle);
  }

  /** Sends what is queued, then closes: no message or error is delivered from here on. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.flush();
    this.closed = true;
    return new Promise((resolve) => this.addon.close(this.handle, resolve));
  }
}
