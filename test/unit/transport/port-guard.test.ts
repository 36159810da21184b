import { afterEach, describe, expect, it } from 'vitest';
import { holdRadiusPorts, PortInUseError } from '../../../src/transport/port-guard.js';

const held: { release(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((h) => h.release()));
});

// A port number no other test guards: the names are per network namespace, not per process.
const PORT = 40000 + (process.pid % 20000);

describe.runIf(process.platform === 'linux')('RADIUS port guard', () => {
  it('a second holder of the same address and port is refused, naming them', async () => {
    held.push(await holdRadiusPorts(['127.0.0.1'], [PORT, PORT + 1]));
    const second = holdRadiusPorts(['127.0.0.1'], [PORT + 1]);
    await expect(second).rejects.toBeInstanceOf(PortInUseError);
    await expect(second).rejects.toThrow(`127.0.0.1 port ${PORT + 1}`);
  });

  it('other addresses and ports, and port 0, are free; a release frees the name', async () => {
    const first = await holdRadiusPorts(['127.0.0.1'], [PORT, 0]);
    held.push(await holdRadiusPorts(['127.0.0.2', '::1'], [PORT]));
    held.push(await holdRadiusPorts(['127.0.0.1'], [PORT + 2, 0]));
    await first.release();
    held.push(await holdRadiusPorts(['127.0.0.1'], [PORT]));
  });

  it('a refusal releases what the same call took before it', async () => {
    held.push(await holdRadiusPorts(['127.0.0.1'], [PORT + 3]));
    await expect(holdRadiusPorts(['127.0.0.1'], [PORT + 4, PORT + 3])).rejects.toBeInstanceOf(PortInUseError);
    held.push(await holdRadiusPorts(['127.0.0.1'], [PORT + 4]));
  });
});
