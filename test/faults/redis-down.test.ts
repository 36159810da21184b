/**
 * Fault: Redis (the shared hot cache and change channel) goes away under two daemon instances that share it and
 * the database. Access-Requests keep being decided (snapshots in memory, PostgreSQL behind them): subscribers
 * are accepted, wrong passwords rejected. When Redis returns, the instances subscribe again, reload what changed
 * meanwhile, and a subscriber change made through one instance's admin API reaches the other (and itself)
 * through the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, type Subscriber } from './accounting-plan.js';
import { eventually, FaultEnv, SECRET, unsupported, type DaemonProcess } from './harness.js';
import { authenticate, Code } from './radius.js';

const secret = Buffer.from(SECRET);

describe.skipIf(unsupported !== null)('Redis stopped under two instances', () => {
  let env: FaultEnv;
  let a: DaemonProcess;
  let b: DaemonProcess;
  let users: Subscriber[];

  /** Subscribers of the change channel on the private Redis (each instance holds one). */
  const channelSubscribers = async (): Promise<number> => {
    const reply = await env.redis.command('PUBSUB', 'NUMSUB', 'tollgate:changes');
    const m = /:(\d+)\r\n$/.exec(reply);
    return m ? Number(m[1]) : -1;
  };

  beforeAll(async () => {
    env = await FaultEnv.create();
    a = await env.daemon('a');
    users = await seed(a, 'rd', 4);
    b = await env.daemon('b');
    await eventually(async () => (await channelSubscribers()) === 2, 10_000, 'both instances on the change channel');
  });
  afterAll(async () => {
    await env?.destroy();
  });

  it('keeps accepting and rejecting subscribers held in memory while Redis is down', async () => {
    for (const d of [a, b]) for (const u of users) expect(await authenticate(d.ports.auth, u.username, u.password, secret)).toBe(Code.AccessAccept);
    await env.redis.stop('SIGKILL');
    expect(await env.redis.ping()).toBe(false);
    // Over a few seconds, while the instances' Redis clients fail and reconnect.
    for (let round = 0; round < 3; round++) {
      for (const d of [a, b]) {
        for (const u of users) expect(await authenticate(d.ports.auth, u.username, u.password, secret), `${d.name} ${u.username}`).toBe(Code.AccessAccept);
        expect(await authenticate(d.ports.auth, users[0]!.username, 'wrong-password', secret)).toBe(Code.AccessReject);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(a.running && b.running).toBe(true);
  });

  // A snapshot miss asks the shared cache first; while Redis is away that fails at once (no offline queue) and
  // PostgreSQL answers.
  it('a subscriber created while Redis is down is served from PostgreSQL; an unknown user is rejected', async () => {
    const account = await a.api<{ id: number }>('POST', '/accounts', {});
    await a.api('POST', '/payments', { accountId: account.id, amount: 1000, externalId: 'rd-cold-open' });
    const [tariff] = (await a.api<{ items: { id: number }[] }>('GET', '/tariffs')).items;
    await a.api('POST', '/subscribers', { username: 'rd-cold', password: 'rd-cold-pw', accountId: account.id, tariffId: tariff!.id });
    expect(await authenticate(b.ports.auth, 'rd-cold', 'rd-cold-pw', secret, 3000)).toBe(Code.AccessAccept);
    expect(await authenticate(b.ports.auth, 'rd-nobody', 'x', secret, 3000)).toBe(Code.AccessReject);
  });

  // The change is published nowhere while Redis is down (the API logs "change event not published"): each instance
  // reloads its snapshots when the change channel comes back.
  it('a change made while Redis was down reaches both instances once it is back', async () => {
    const u3 = users[2]!;
    await a.api('PATCH', `/subscribers/${u3.subscriberId}`, { status: 'disabled' });
    await env.redis.start();
    await eventually(async () => (await channelSubscribers()) === 2, 15_000, 'both instances back on the change channel');
    for (const d of [a, b]) {
      await eventually(async () => (await authenticate(d.ports.auth, u3.username, u3.password, secret)) === Code.AccessReject, 10_000, `${d.name} to reject the disabled ${u3.username}`);
    }
  });

  it('when Redis returns, a change through one instance\'s API reaches both', async () => {
    if (!(await env.redis.ping())) await env.redis.start();
    await eventually(async () => (await channelSubscribers()) === 2, 15_000, 'both instances back on the change channel');
    const [u1, u2] = users as [Subscriber, Subscriber];
    // Disable one subscriber through A: B (and A) reject it within a few seconds.
    await a.api('PATCH', `/subscribers/${u1.subscriberId}`, { status: 'disabled' });
    for (const d of [b, a]) {
      await eventually(async () => (await authenticate(d.ports.auth, u1.username, u1.password, secret)) === Code.AccessReject, 10_000, `${d.name} to reject the disabled ${u1.username}`);
    }
    // A new password through B: both accept the new one and reject the old one.
    await b.api('PATCH', `/subscribers/${u2.subscriberId}`, { password: 'rd-new-password' });
    for (const d of [a, b]) {
      await eventually(async () => (await authenticate(d.ports.auth, u2.username, 'rd-new-password', secret)) === Code.AccessAccept, 10_000, `${d.name} to accept the new password`);
      expect(await authenticate(d.ports.auth, u2.username, u2.password, secret)).toBe(Code.AccessReject);
    }
    // The others are untouched.
    for (const u of users.slice(3)) expect(await authenticate(b.ports.auth, u.username, u.password, secret)).toBe(Code.AccessAccept);
  });
});
