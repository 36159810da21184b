/** A minimal RADIUS peer for tests: sends raw datagrams from a chosen loopback address and waits for a reply. */
import dgram from 'node:dgram';

export async function exchange(
  port: number,
  datagram: Buffer,
  options: { host?: string; from?: string; timeoutMs?: number } = {},
): Promise<Buffer | null> {
  const host = options.host ?? '127.0.0.1';
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.from ?? (host.includes(':') ? '::1' : '127.0.0.1'), port: 0 }, () => resolve());
    });
    return await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), options.timeoutMs ?? 1000);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(datagram, port, host);
    });
  } finally {
    socket.close();
  }
}

/** Sends several datagrams from one socket (same source port) and collects every reply within the window. */
export async function burst(port: number, datagrams: Buffer[], windowMs = 500): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const replies: Buffer[] = [];
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  socket.on('message', (msg) => replies.push(msg));
  for (const d of datagrams) socket.send(d, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, windowMs));
  socket.close();
  return replies;
}
