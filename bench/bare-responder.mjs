#!/usr/bin/env node
/**
 * The ceiling of Tollgate's own I/O path: an Access-Request responder that does only what no RADIUS server can
 * skip, on the same socket setup as src/transport/udp-server.ts (its endpoint module, so `radius.io` auto: the
 * batched addon when it loads, else node:dgram; the default 4 MiB receive / 1 MiB send buffers; with node:cluster
 * workers one SO_REUSEPORT socket each spread by Identifier, or dgram's one shared socket; one worker per core) and with Tollgate's own codec
 * (the built dist/): parse, verify the Message-Authenticator, unhide User-Password, look the user up in a Map,
 * compare, and answer Access-Accept (or Reject) signed with a Message-Authenticator. No duplicate detection,
 * metrics, auth log, authorization or reply attributes: bench/compare.sh reports Tollgate as a share of this.
 *
 *   npm run build && node bench/bare-responder.mjs --port 28190 --users /tmp/tollgate-bench/users.txt
 *
 * Options: --host (127.0.0.1), --port (28190), --secret (testing123), --users FILE ("user password" lines),
 * --workers N (0 = one per core, the default; 1 = no cluster), --io auto|batch|dgram (auto, as the daemon). Prints `READY port=… workers=…` once every worker
 * listens; SIGTERM stops it.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Attr, Code } from '../dist/src/radius/codes.js';
import { encodeReply, unhidePassword, verifyMessageAuthenticator } from '../dist/src/radius/crypto.js';
import { attributeValue, parsePacket } from '../dist/src/radius/packet.js';
import { chooseIo, openEndpoint } from '../dist/src/transport/udp-endpoint.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '28190' },
    secret: { type: 'string', default: 'testing123' },
    users: { type: 'string' },
    workers: { type: 'string', default: '0' },
    io: { type: 'string', default: 'auto' },
  },
});
if (!values.users) {
  process.stderr.write('usage: node bench/bare-responder.mjs --users FILE [--port P] [--host H] [--secret S] [--workers N]\n');
  process.exit(64);
}
const wanted = Number(values.workers);
const workers = wanted === 0 ? availableParallelism() : wanted;
// The same buffer sizes as the daemon's defaults (radius.receiveBufferBytes / sendBufferBytes).
const RECV_BUFFER = 4 * 1024 * 1024;
const SEND_BUFFER = 1024 * 1024;

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork({ BARE_GROUP: String(workers) }).on('message', (m) => {
      if (m?.listening && ++listening === workers) console.log(`READY port=${values.port} workers=${workers} io=${m.io}`);
    });
  }
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  serve();
}

function serve() {
  const secret = Buffer.from(values.secret);
  const users = new Map();
  for (const line of readFileSync(values.users, 'utf8').split('\n')) {
    const [name, password] = line.trim().split(/\s+/);
    if (name && password) users.set(name, Buffer.from(password));
  }
  const shared = cluster.isWorker;
  const port = Number(values.port);
  const choice = chooseIo(values.io, { shared, ports: [port] });
  let socket;
  const onMessage = (msg, address, fromPort) => {
    let packet;
    try {
      packet = parsePacket(msg);
    } catch {
      return;
    }
    if (packet.code !== Code.AccessRequest || !verifyMessageAuthenticator(packet, secret, null)) return;
    const name = attributeValue(packet, Attr.UserName);
    const hidden = attributeValue(packet, Attr.UserPassword);
    let ok = false;
    if (name && hidden) {
      try {
        const known = users.get(name.toString('utf8'));
        ok = known !== undefined && known.equals(unhidePassword(hidden, secret, packet.authenticator));
      } catch {
        ok = false;
      }
    }
    const reply = encodeReply(ok ? Code.AccessAccept : Code.AccessReject, packet.identifier, packet.authenticator, [], secret, { messageAuthenticator: true });
    socket.send(reply, fromPort, address);
  };
  const options = {
    address: values.host,
    port,
    receiveBufferBytes: RECV_BUFFER,
    sendBufferBytes: SEND_BUFFER,
    shared,
    groupSize: Number(process.env.BARE_GROUP ?? 0),
    onMessage,
    onTruncated: () => {},
    onError: (err) => process.stderr.write(`bare responder: ${err.message}\n`),
  };
  openEndpoint(choice, options).then((s) => {
    socket = s;
    if (cluster.isWorker) process.send?.({ listening: true, io: s.io });
    else console.log(`READY port=${s.port} workers=1 io=${s.io}`);
  });
  process.on('SIGTERM', () => void socket?.close().then(() => process.exit(0)));
}
