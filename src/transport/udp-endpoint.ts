/**
 * One bound UDP socket as the RADIUS server uses it — datagrams in, replies out, close — on either I/O path:
 * `dgram` (node:dgram: a syscall and a callback per datagram; with cluster workers the primary holds the socket
 * and hands it to every worker) or `batch` (batch-socket.ts: recvmmsg/sendmmsg; with cluster workers each worker
 * binds its own socket on the same port with SO_REUSEPORT, since cluster cannot share a native fd).
 * chooseIo() turns `radius.io` into the path used and the reason, for the start log and the metric.
 */
import dgram from 'node:dgram';
import { BatchSocket, loadUdpBatch, MAX_DATAGRAM, type AddonLoad } from './batch-socket.js';

export type UdpIo = 'batch' | 'dgram';
/** radius.io: auto = batch when the addon is there, else dgram. */
export type UdpIoSetting = 'auto' | UdpIo;

export interface EndpointOptions {
  readonly address: string;
  readonly port: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly onMessage: (msg: Buffer, address: string, port: number) => void;
  /** Datagrams longer than a RADIUS packet (4096 octets), dropped undelivered on both paths. */
  readonly onTruncated: (count: number) => void;
  readonly onError: (err: Error) => void;
}

export interface UdpEndpoint {
  readonly io: UdpIo;
  readonly port: number;
  /** SO_RCVBUF as the kernel reports it (Linux: twice what it granted). */
  readonly recvBufferSize: number;
  send(bytes: Buffer, port: number, address: string): void;
  close(): Promise<void>;
}

export interface IoChoice {
  readonly io: UdpIo;
  readonly reason: string;
  readonly load?: AddonLoad;
}

/**
 * The I/O path for `wanted`. `shared`: cluster workers serve the same ports. Throws when `batch` is asked for
 * and the addon cannot be used: the operator asked for it by name.
 */
export function chooseIo(wanted: UdpIoSetting, ctx: { shared: boolean; ports: readonly number[]; addonFile?: string | undefined }): IoChoice {
  if (wanted === 'dgram') return { io: 'dgram', reason: 'radius.io is dgram' };
  // SO_REUSEPORT on port 0 would give every worker a port of its own: the dgram socket the primary shares keeps one.
  if (ctx.shared && ctx.ports.includes(0)) return { io: 'dgram', reason: 'cluster workers on port 0 share one node:dgram socket' };
  const load = ctx.addonFile === undefined ? loadUdpBatch() : loadUdpBatch(ctx.addonFile);
  if (load.ok) return { io: 'batch', reason: wanted === 'batch' ? 'radius.io is batch' : 'radius.io is auto and the udp-batch addon is loaded', load };
  if (wanted === 'batch') throw new Error(`radius.io is batch but the udp-batch addon cannot be used: ${load.reason}`);
  return { io: 'dgram', reason: `radius.io is auto and ${load.reason}`, load };
}

/** Binds one endpoint on the chosen path; rejects with the errno error (code EADDRINUSE, EAFNOSUPPORT, …). */
export function openEndpoint(choice: IoChoice, options: EndpointOptions & { readonly shared: boolean; readonly groupSize?: number }): Promise<UdpEndpoint> {
  if (choice.io === 'batch' && choice.load?.ok) {
    try {
      return Promise.resolve(new BatchSocket(choice.load.addon, { ...options, reusePort: options.shared, groupSize: options.groupSize ?? 0 }));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return DgramEndpoint.open(options);
}

class DgramEndpoint implements UdpEndpoint {
  readonly io = 'dgram' as const;
  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
    readonly recvBufferSize: number,
  ) {}

  static open(options: EndpointOptions & { readonly shared: boolean }): Promise<UdpEndpoint> {
    return new Promise((resolve, reject) => {
      const type = options.address.includes(':') ? 'udp6' : 'udp4';
      const socket = dgram.createSocket({
        type,
        ipv6Only: type === 'udp6',
        recvBufferSize: options.receiveBufferBytes,
        sendBufferSize: options.sendBufferBytes,
      });
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      // Not exclusive with cluster workers: the primary binds and every worker reads the same socket.
      socket.bind({ address: options.address, port: options.port, exclusive: !options.shared }, () => {
        socket.off('error', onError);
        socket.on('error', options.onError);
        // As the batch path, which cannot take more than a RADIUS packet without a larger buffer per datagram.
        socket.on('message', (msg, rinfo) => (msg.length > MAX_DATAGRAM ? options.onTruncated(1) : options.onMessage(msg, rinfo.address, rinfo.port)));
        resolve(new DgramEndpoint(socket, socket.address().port, socket.getRecvBufferSize()));
      });
    });
  }

  send(bytes: Buffer, port: number, address: string): void {
    this.socket.send(bytes, port, address);
  }

  async close(): Promise<void> {
    // socket.send() resolves the address on the next tick before it hands the datagram to the kernel: let the
    // replies just sent leave before the socket closes.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
