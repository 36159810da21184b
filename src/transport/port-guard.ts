/**
 * One Tollgate per RADIUS port. With `radius.io` batch, each cluster worker binds the ports itself with
 * SO_REUSEPORT, and the kernel lets any process of the same user join such a group: a second daemon started by
 * mistake on the same ports would not fail with EADDRINUSE, it would silently take part of the traffic (with
 * its own configuration, reply cache and database). So the primary first takes a name for each address and
 * port in the abstract Unix socket namespace (Linux; unique per network namespace, as ports are, and released
 * by the kernel when the process ends, however it ends). Taking a name that is held fails, and start-up stops
 * naming the port.
 */
import net from 'node:net';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly address: string,
    readonly port: number,
  ) {
    super(`another Tollgate process already serves RADIUS on ${address} port ${port} (radius.listen, radius.authPort/acctPort): stop it, or give this one other ports`);
  }
}

/** The abstract socket name of one RADIUS address and port. */
export function guardName(address: string, port: number): string {
  return `\0tollgate-radius-udp:${address}:${port}`;
}

/** Holds the names until released; rejects with PortInUseError (the others taken so far are released). */
export async function holdRadiusPorts(addresses: readonly string[], ports: readonly number[]): Promise<{ release(): Promise<void> }> {
  const held: net.Server[] = [];
  const release = () => Promise.all(held.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined);
  if (process.platform !== 'linux') return { release };
  try {
    for (const address of new Set(addresses)) {
      // Port 0 is a port of the kernel's choosing for each socket: nothing to share, nothing to guard.
      for (const port of new Set(ports.filter((p) => p !== 0))) held.push(await listenOn(guardName(address, port), address, port));
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { release };
}

function listenOn(name: string, address: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(address, port) : err));
    server.listen(name, () => {
      server.unref();
      resolve(server);
    });
  });
}
