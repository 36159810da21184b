#!/usr/bin/env node
/**
 * Creates benchmark subscribers the way an operator's provisioning does: through the admin REST API
 * (docs/api.md), one tariff, then per subscriber an account, a payment funding it and the subscriber
 * (user000001 / pw000001 …, on the tariff). The API has no bulk route, so requests go in parallel batches over
 * keep-alive connections. A second call can set (or clear) Simultaneous-Use on every one of them with PATCH.
 *
 *   node bench/seed-api.mjs http://127.0.0.1:9812 TOKEN 20000                       # create
 *   node bench/seed-api.mjs http://127.0.0.1:9812 TOKEN 20000 --simultaneous-use 1  # PATCH every userNNNNNN
 *   node bench/seed-api.mjs http://127.0.0.1:9812 TOKEN 20000 --simultaneous-use null
 *
 * Knobs: CONCURRENCY (requests in flight, 32). Prints `SEED_API subscribers=… requests=… ms=… req_per_s=…`.
 * Usernames match radload's users file (bench/lib.sh writes it) and bench/seed-subscribers.mjs.
 */
const [base, token, nText = '20000', flag, flagValue] = process.argv.slice(2);
if (!base || !token || (flag !== undefined && flag !== '--simultaneous-use')) {
  process.stderr.write('usage: node bench/seed-api.mjs ADMIN_URL TOKEN N [--simultaneous-use K|null]\n');
  process.exit(64);
}
const n = Number(nText);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const api = `${base.replace(/\/$/, '')}/api/v1`;
const width = Math.max(6, String(n).length);
const username = (i) => `user${String(i).padStart(width, '0')}`;
const password = (i) => `pw${String(i).padStart(width, '0')}`;
let requests = 0;

async function call(method, path, body, okStatuses = [200, 201]) {
  requests++;
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      // A refused or reset connection under load: retry a few times (payments are idempotent on externalId).
      if (attempt < 5) {
        await new Promise((r) => setTimeout(r, 100 * attempt));
        continue;
      }
      throw err;
    }
    const text = await res.text();
    if (okStatuses.includes(res.status)) return text ? JSON.parse(text) : undefined;
    throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  }
}

/** Runs fn(i) for i in 1..count with `concurrency` in flight. */
async function each(count, fn) {
  let next = 1;
  const lane = async () => {
    while (next <= count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

const started = performance.now();
if (flag === undefined) {
  const existing = await call('GET', `/tariffs?limit=1000`);
  const tariff = existing.items.find((t) => t.name === 'bench-api') ?? (await call('POST', '/tariffs', { name: 'bench-api', monthlyFee: 50000, downKbps: 100000, upKbps: 50000 }));
  await each(n, async (i) => {
    const account = await call('POST', '/accounts', { creditLimit: 0 });
    await call('POST', '/payments', { accountId: account.id, amount: 1_000_000, externalId: `seed-api:${username(i)}` });
    await call('POST', '/subscribers', { username: username(i), password: password(i), accountId: account.id, tariffId: tariff.id });
  });
} else {
  const value = flagValue === 'null' ? null : Number(flagValue);
  if (value !== null && !(Number.isInteger(value) && value >= 1)) {
    process.stderr.write('--simultaneous-use takes an integer ≥ 1 or null\n');
    process.exit(64);
  }
  // Ids of the bench subscribers, a page of 1000 at a time.
  const ids = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call('GET', `/subscribers?limit=1000&offset=${offset}`);
    for (const s of page.items) if (/^user\d+$/.test(s.username) && Number(s.username.slice(4)) <= n) ids.push(s.id);
    if (page.items.length < 1000) break;
  }
  await each(ids.length, (i) => call('PATCH', `/subscribers/${ids[i - 1]}`, { simultaneousUse: value }));
}
const ms = performance.now() - started;
console.log(`SEED_API subscribers=${n} requests=${requests} ms=${Math.round(ms)} req_per_s=${Math.round(requests / (ms / 1000))}`);
