import type { SubscriberSnapshot } from '../../src/domain/types.js';

/** An active, funded subscriber on a 100/50 Mbit/s tariff; override what a test is about. */
export function snapshot(over: Partial<SubscriberSnapshot> = {}): SubscriberSnapshot {
  return {
    subscriberId: 7,
    username: 'alice',
    status: 'active',
    password: 'secret',
    ntHash: null,
    framedIp: null,
    framedPool: null,
    mac: null,
    simultaneousUse: null,
    accountId: 3,
    balance: 1000,
    creditLimit: 0,
    activeCredit: 0,
    accountState: 'active',
    tariff: { id: 4, name: 'Home 100', downKbps: 100_000, upKbps: 50_000 },
    ...over,
  };
}
