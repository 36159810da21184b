import { describe, expect, it } from 'vitest';
import { accountingRecordOf } from '../../../src/aaa/accounting-record.js';
import { acctPacket, STATUS } from '../billing/packets.js';

const nas = { name: 'bras-1' };
const received = new Date('2030-03-10T12:00:00Z');

describe('accountingRecordOf', () => {
  it('reads every field, combining Gigawords into exact bigints', () => {
    const r = accountingRecordOf(
      acctPacket({ status: STATUS.stop, sid: 'S1', user: 'alice', at: 1_899_331_200, delay: 3, in: 5, inGw: 3, out: 0xffffffff, outGw: 0xffffffff, time: 61, cause: 11, ip: '100.64.0.7', port: 42, mac: 'aa:bb' }),
      nas,
      received,
    );
    expect(r).toEqual({
      nas: 'bras-1',
      status: 'stop',
      statusType: 2,
      acctSessionId: 'S1',
      username: 'alice',
      framedIp: '100.64.0.7',
      callingStationId: 'aa:bb',
      nasPort: '42',
      sessionTime: 61n,
      input: { bytes: 3n * 2n ** 32n + 5n, gigawords: true },
      output: { bytes: 2n ** 64n - 1n, gigawords: true },
      eventTime: new Date(1_899_331_200_000),
      receivedAt: received,
      delayTime: 3,
      terminateCause: 'NAS-Reboot',
      answered: null,
    });
  });

  it('strings are not bytes: session ids that differ in one invalid UTF-8 octet stay apart, NUL included', () => {
    const withSid = (sid: Buffer) => {
      const p = acctPacket({ status: STATUS.start, user: 'u' });
      p.attributes.push({ type: 44, value: sid });
      const r = accountingRecordOf(p, nas, received);
      if ('error' in r) throw new Error(r.error);
      return r.acctSessionId;
    };
    const ff = withSid(Buffer.from([0x69, 0x6e, 0x76, 0x2d, 0xff, 0x41]));
    const fe = withSid(Buffer.from([0x69, 0x6e, 0x76, 0x2d, 0xfe, 0x41]));
    const nul = withSid(Buffer.from([0x61, 0x00, 0x62]));
    expect(ff).toBe('inv-\\xffA');
    expect(fe).toBe('inv-\\xfeA');
    expect(nul).toBe('a\\x00b');
    expect(nul.includes('\u0000')).toBe(false);
  });

  it('reads the service its Access-Accept announced from the echoed Class', () => {
    const withClass = (...values: string[]) => {
      const p = acctPacket({ status: STATUS.start, sid: 's', user: 'u' });
      for (const v of values) p.attributes.push({ type: 25, value: Buffer.from(v) });
      const r = accountingRecordOf(p, nas, received);
      if ('error' in r) throw new Error(r.error);
      return r.answered;
    };
    expect(withClass()).toBeNull();
    expect(withClass('other-class')).toBeNull();
    expect(withClass('other-class', 'tollgate:restricted')).toBe('restricted');
    expect(withClass('tollgate:normal')).toBe('normal');
  });

  it('derives the event time from Acct-Delay-Time without Event-Timestamp', () => {
    const r = accountingRecordOf(acctPacket({ status: STATUS.interim, sid: 'S', user: 'u', delay: 30, in: 1 }), nas, received);
    if ('error' in r) throw new Error(r.error);
    expect(r.eventTime.toISOString()).toBe('2030-03-10T11:59:30.000Z');
    expect(r.input).toEqual({ bytes: 1n, gigawords: false });
    expect(r.output).toBeNull();
    expect(r.sessionTime).toBeNull();
    expect(r.status).toBe('interim-update');
  });

  it('maps Accounting-On/Off and acknowledges unknown status types as other', () => {
    const on = accountingRecordOf(acctPacket({ status: STATUS.on }), nas, received);
    const off = accountingRecordOf(acctPacket({ status: STATUS.off }), nas, received);
    const other = accountingRecordOf(acctPacket({ status: 15 }), nas, received);
    expect(on).toMatchObject({ status: 'accounting-on', acctSessionId: '' });
    expect(off).toMatchObject({ status: 'accounting-off' });
    expect(other).toMatchObject({ status: 'other', statusType: 15 });
  });

  it('rejects a missing status, a missing session id and malformed integers', () => {
    expect(accountingRecordOf(acctPacket({ status: 1, sid: 'x' }), nas, received)).not.toHaveProperty('error');
    const noStatus = acctPacket({ status: 1, sid: 'x' });
    noStatus.attributes.shift();
    expect(accountingRecordOf(noStatus, nas, received)).toEqual({ error: 'Acct-Status-Type missing' });
    expect(accountingRecordOf(acctPacket({ status: STATUS.start }), nas, received)).toEqual({ error: 'Acct-Session-Id missing' });
    const bad = acctPacket({ status: STATUS.start, sid: 'x' });
    bad.attributes.push({ type: 42, value: Buffer.from([1, 2]) });
    expect(accountingRecordOf(bad, nas, received)).toEqual({ error: 'Acct-Input-Octets has 2 octets, expected 4' });
    const badIp = acctPacket({ status: STATUS.start, sid: 'x' });
    badIp.attributes.push({ type: 8, value: Buffer.from([10, 0, 0]) });
    expect(accountingRecordOf(badIp, nas, received)).toEqual({ error: 'Framed-IP-Address has 3 octets, expected 4' });
  });

  it('names unknown terminate causes by number', () => {
    const r = accountingRecordOf(acctPacket({ status: STATUS.stop, sid: 'x', cause: 99 }), nas, received);
    expect(r).toMatchObject({ terminateCause: '99' });
  });
});
