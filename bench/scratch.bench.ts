import { bench, describe } from 'vitest';
import { md5, hmacMd5Into, Md5 } from '../src/radius/md5.js';
import { createHash } from 'node:crypto';
const d64 = Buffer.alloc(64, 1), d150 = Buffer.alloc(150, 2), secret = Buffer.from('a-16+char-secret-for-bench');
const out = Buffer.alloc(16);
const m = new Md5();
describe('md5', () => {
  bench('md5 one block (js, reuse ctx)', () => { m.reset().update(d64, 0, 40).digestInto(out, 0); });
  bench('md5 150+secret (js)', () => { m.reset().update(d150).update(secret).digestInto(out, 0); });
  bench('md5 150 (varargs)', () => { md5(d150, secret); });
  bench('hmac 150 (js)', () => { hmacMd5Into(secret, [d150], out, 0); });
  bench('createHash 150', () => { createHash('md5').update(d150).update(secret).digest(); });
});
