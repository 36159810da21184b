/**
 * CoA over RadSec with node:cluster workers (coa/relay.ts): a NAS's RadSec connection lives in the one worker the
 * connection was handed to, while CoA is originated in any worker (blocking) or in the primary (the admin API).
 * The primary routes: asked by an originator (a worker, or its own CoA client), it asks the other workers whether
 * they hold an open connection from the NAS's address, hands the request to the first that does, and returns
 * that worker's outcome (the worker sends, counts and audits it). No worker holding one, or one that exits or
 * fails meanwhile: the answer is null and the originator sends over UDP itself.
 *
 * Messages are the JSON of the cluster IPC channel; main.ts's own messages have other `type`s and are left alone.
 */
import cluster, { type Worker } from 'node:cluster';
import type { CoaClient, CoaOutcome } from '../coa/client.js';
import { fromWire, outcomeFromWire, toWire, type WireCoaOutcome, type WireCoaRequest } from '../coa/relay.js';
import type { Logger } from '../observability/logger.js';

type ToPrimary =
  | { readonly type: 'coa-relay'; readonly seq: number; readonly address: string; readonly req: WireCoaRequest }
  | { readonly type: 'coa-holds-reply'; readonly seq: number; readonly holds: boolean }
  | { readonly type: 'coa-sent'; readonly seq: number; readonly outcome: WireCoaOutcome | null };
type ToWorker =
  | { readonly type: 'coa-relayed'; readonly seq: number; readonly outcome: WireCoaOutcome | null }
  | { readonly type: 'coa-holds'; readonly seq: number; readonly address: string }
  | { readonly type: 'coa-send'; readonly seq: number; readonly req: WireCoaRequest };

/** A worker slower than this to say whether it holds a connection is taken to hold none. */
const HOLDS_TIMEOUT_MS = 1000;
/** Beyond the holder's own bound (retry.maxDurationMs and the audit): a holder silent this long is given up. */
const SEND_TIMEOUT_MS = 120_000;

function isMessage(msg: unknown, types: readonly string[]): boolean {
  return typeof msg === 'object' && msg !== null && types.includes((msg as { type?: unknown }).type as string);
}

/** The primary's side: routes relayed requests to the worker holding the connection, its own CoA client's too. */
export function installPrimaryCoaRelay(coa: CoaClient, log: Logger): void {
  let seq = 0;
  const waiting = new Map<number, { readonly worker: number; readonly done: (msg: ToPrimary | null) => void }>();
  const ask = (worker: Worker, msg: ToWorker, timeoutMs: number): Promise<ToPrimary | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs).unref();
      const finish = (reply: ToPrimary | null): void => {
        clearTimeout(timer);
        waiting.delete(msg.seq);
        resolve(reply);
      };
      waiting.set(msg.seq, { worker: worker.id, done: finish });
      try {
        worker.send(msg);
      } catch {
        finish(null);
      }
    });

  const route = async (address: string, req: WireCoaRequest, origin: number | null): Promise<WireCoaOutcome | null> => {
    const others = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.id !== origin && w.isConnected());
    const holder = await new Promise<Worker | null>((resolve) => {
      let left = others.length;
      if (left === 0) return resolve(null);
      for (const w of others) {
        void ask(w, { type: 'coa-holds', seq: ++seq, address }, HOLDS_TIMEOUT_MS).then((reply) => {
          if (reply?.type === 'coa-holds-reply' && reply.holds) resolve(w);
          else if (--left === 0) resolve(null);
        });
      }
    });
    if (!holder) return null;
    const reply = await ask(holder, { type: 'coa-send', seq: ++seq, req }, SEND_TIMEOUT_MS);
    return reply?.type === 'coa-sent' ? reply.outcome : null;
  };

  cluster.on('message', (worker: Worker, msg: unknown) => {
    if (!isMessage(msg, ['coa-relay', 'coa-holds-reply', 'coa-sent'])) return;
    const m = msg as ToPrimary;
    if (m.type !== 'coa-relay') {
      const w = waiting.get(m.seq);
      if (w?.worker === worker.id) w.done(m);
      return;
    }
    route(m.address, m.req, worker.id).then(
      (outcome) => {
        if (worker.isConnected()) worker.send({ type: 'coa-relayed', seq: m.seq, outcome } satisfies ToWorker);
      },
      (err: unknown) => log.error({ err }, 'CoA relay failed'),
    );
  });
  // A worker that exits answers nothing: its questions end now (null: the originator uses UDP).
  cluster.on('exit', (worker: Worker) => {
    for (const w of [...waiting.values()]) if (w.worker === worker.id) w.done(null);
  });
  coa.setRelay({ send: async (address, req) => {
    const outcome = await route(address, toWire(req), null);
    return outcome && outcomeFromWire(outcome);
  } });
}

/** A worker's side: answers whether it holds a NAS's connection, sends what it is handed, relays its own. */
export function installWorkerCoaRelay(coa: CoaClient, log: Logger): void {
  let seq = 0;
  const waiting = new Map<number, (outcome: CoaOutcome | null) => void>();
  const reply = (msg: ToPrimary): void => {
    try {
      process.send?.(msg);
    } catch (err) {
      log.warn({ err }, 'CoA relay message not sent to the primary');
    }
  };
  process.on('message', (msg: unknown) => {
    if (!isMessage(msg, ['coa-relayed', 'coa-holds', 'coa-send'])) return;
    const m = msg as ToWorker;
    if (m.type === 'coa-holds') return reply({ type: 'coa-holds-reply', seq: m.seq, holds: coa.holdsLink(m.address) });
    if (m.type === 'coa-send') {
      coa.sendHere(fromWire(m.req)).then(
        (outcome) => reply({ type: 'coa-sent', seq: m.seq, outcome }),
        // Stopping, or a request that cannot be encoded: the originator sends it over UDP (and learns which).
        () => reply({ type: 'coa-sent', seq: m.seq, outcome: null }),
      );
      return;
    }
    const done = waiting.get(m.seq);
    waiting.delete(m.seq);
    done?.(m.outcome && outcomeFromWire(m.outcome));
  });
  coa.setRelay({
    send: (address, req) =>
      new Promise((resolve) => {
        if (!process.send || !process.connected) return resolve(null);
        const id = ++seq;
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(null);
        }, SEND_TIMEOUT_MS + HOLDS_TIMEOUT_MS).unref();
        waiting.set(id, (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        });
        reply({ type: 'coa-relay', seq: id, address, req: toWire(req) });
      }),
  });
}
