/**
 * Reads a JSON request body: at most 1 MiB (413), `Content-Type: application/json` when there is a body (415),
 * valid JSON (400). An empty body is `{}` so `POST /accounts` needs none.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = req.headers['content-length'];
  const tooLarge = () => new ApiError('BODY_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`, { headers: { connection: 'close' } });
  if (declared !== undefined && Number(declared) > maxBytes) {
    // Answer without buffering; the rest of the upload is discarded.
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) overflow = true;
      // Keep reading (and dropping) so the client gets the 413 rather than a reset mid-upload.
      if (!overflow) chunks.push(chunk);
    }
  } catch (err) {
    // The client went away mid-upload: its problem, not a server failure to log as one.
    throw new ApiError('MALFORMED_JSON', 'the request body was cut off', { cause: err });
  }
  if (overflow) throw tooLarge();
  if (size === 0) return {};
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `the request body must be JSON with Content-Type: application/json, got ${type === undefined ? 'no Content-Type' : JSON.stringify(type)}`);
  }
  const textBody = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(textBody) as unknown;
  } catch (err) {
    // V8's message quotes the input, which may hold a secret: keep only the position.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new ApiError('MALFORMED_JSON', `the request body is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`, { cause: err });
  }
}
