/**
 * CoA through another process: with node:cluster workers a NAS's RadSec connection lives in one worker, and only
 * that process can write on it, while CoA is originated in any worker (the blocking pass that wins the claim) or in
 * the primary (the admin API). A CoaRelay finds the process holding the NAS's connection and has it send the
 * request there (it audits and counts it as its own); the app layer (app/cluster-coa.ts) carries the messages.
 * Messages between processes are JSON, so requests and outcomes cross as the plain objects below.
 */
import type { CoaTransport } from '../domain/ports.js';
import type { CoaKind, CoaOutcome, CoaRequest } from './client.js';

export interface CoaRelay {
  /**
   * Sends the request through the process that holds an open RadSec connection from `address` (the NAS's, in
   * canonical text); resolves with the outcome there, or null when no other process holds one or the one that did
   * could not take it (send it over UDP here). Rejects only when this process is stopping.
   */
  send(address: string, req: CoaRequest): Promise<CoaOutcome | null>;
}

/** A CoaRequest as JSON can carry it: octets in base64. */
export interface WireCoaRequest {
  readonly nas: { readonly name: string; readonly address: string; readonly secret: string; readonly coaPort: number };
  readonly kind: CoaKind;
  readonly attributes: readonly { readonly type: number; readonly value: string }[];
  readonly username?: string;
  readonly sessionId?: number | null;
  readonly action: string;
}

export interface WireCoaOutcome {
  readonly result: CoaOutcome['result'];
  readonly errorCause?: number;
  readonly attempts: number;
  readonly rttMs?: number;
  readonly transport: CoaTransport;
}

export function toWire(req: CoaRequest): WireCoaRequest {
  return {
    nas: { name: req.nas.name, address: req.nas.address, secret: req.nas.secret.toString('base64'), coaPort: req.nas.coaPort },
    kind: req.kind,
    attributes: req.attributes.map((a) => ({ type: a.type, value: a.value.toString('base64') })),
    ...(req.username === undefined ? {} : { username: req.username }),
    ...(req.sessionId === undefined ? {} : { sessionId: req.sessionId }),
    action: req.action,
  };
}

export function fromWire(w: WireCoaRequest): CoaRequest {
  return {
    nas: { name: w.nas.name, address: w.nas.address, secret: Buffer.from(w.nas.secret, 'base64'), coaPort: w.nas.coaPort },
    kind: w.kind,
    attributes: w.attributes.map((a) => ({ type: a.type, value: Buffer.from(a.value, 'base64') })),
    ...(w.username === undefined ? {} : { username: w.username }),
    ...(w.sessionId === undefined ? {} : { sessionId: w.sessionId }),
    action: w.action,
  };
}

export function outcomeFromWire(w: WireCoaOutcome): CoaOutcome {
  return {
    result: w.result,
    attempts: w.attempts,
    transport: w.transport,
    ...(w.errorCause === undefined ? {} : { errorCause: w.errorCause }),
    ...(w.rttMs === undefined ? {} : { rttMs: w.rttMs }),
  };
}
