// A bare RADIUS responder on Tollgate's UDP endpoint (src/transport/udp-endpoint.ts), to compare the I/O paths
// without the rest of the daemon: per Access-Request it verifies the Message-Authenticator, unhides the password,
// looks the user up in a Map and signs an Access-Accept (or Reject); an Accounting-Request gets its
// Accounting-Response after the Request Authenticator is checked. radload drives it (docs/performance.md):
//
//   npm run build && node bench/udp-responder.mjs batch|dgram PORT [USERS_FILE] [SECRET]
//   radload -s 127.0.0.1:PORT -S testing123 -m auth -u users.txt -n 1000000000 -w 64 -d 8 -W 2
//
// Prints "ready io=… port=…" when bound; on SIGTERM/SIGINT the requests answered, the CPU time per request
// (user + system, the figure to compare on a busy machine) and the batch socket's counters.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.TOLLGATE_DIST ?? resolve(import.meta.dirname, '../dist');
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { chooseIo, openEndpoint } = await load('src/transport/udp-endpoint.js');
const { parsePacket, attributeValue } = await load('src/radius/packet.js');
const { verifyMessageAuthenticator, verifyRequestAuthenticator, unhidePassword, encodeReply } = await load('src/radius/crypto.js');
const { Attr, Code } = await load('src/radius/codes.js');

const [io = 'batch', portText = '19998', usersFile, secretText = 'testing123'] = process.argv.slice(2);
const secret = Buffer.from(secretText);
const users = new Map();
if (usersFile) {
  for (const line of readFileSync(usersFile, 'utf8').split('\n')) {
    const [u, p] = line.split(' ');
    if (u && p) users.set(u, p);
  }
}

let answered = 0;
let dropped = 0;
const choice = chooseIo(io, { shared: false, ports: [Number(portText)] });
const endpoint = await openEndpoint(choice, {
  address: '127.0.0.1',
  port: Number(portText),
  receiveBufferBytes: 4 << 20,
  sendBufferBytes: 1 << 20,
  shared: false,
  onMessage(msg, address, port) {
    let packet;
    try {
      packet = parsePacket(msg);
    } catch {
      dropped++;
      return;
    }
    let code;
    if (packet.code === Code.AccessRequest) {
      if (!verifyMessageAuthenticator(packet, secret, null)) return void dropped++;
      const name = attributeValue(packet, Attr.UserName)?.toString('latin1') ?? '';
      const hidden = attributeValue(packet, Attr.UserPassword);
      const password = hidden ? unhidePassword(hidden, secret, packet.authenticator).toString('latin1') : '';
      code = users.size === 0 || users.get(name) === password ? Code.AccessAccept : Code.AccessReject;
    } else if (packet.code === Code.AccountingRequest) {
      if (!verifyRequestAuthenticator(packet, secret)) return void dropped++;
      code = Code.AccountingResponse;
    } else return void dropped++;
    endpoint.send(encodeReply(code, packet.identifier, packet.authenticator, [], secret, { messageAuthenticator: code !== Code.AccountingResponse }), port, address);
    answered++;
  },
  onTruncated: (n) => (dropped += n),
  onError: (err) => console.error(err),
});
console.log(`ready io=${endpoint.io} port=${endpoint.port} (${choice.reason})`);
// CPU per answered request is steadier than the request rate on a machine shared with other work.
const cpuAtReady = process.cpuUsage();
const stop = () => {
  const cpu = process.cpuUsage(cpuAtReady);
  const perRequest = answered > 0 ? (cpu.user + cpu.system) / answered : 0;
  const stats = endpoint.stats ? ` ${JSON.stringify(endpoint.stats())}` : '';
  console.log(`answered=${answered} dropped=${dropped} cpu_us_per_request=${perRequest.toFixed(2)} (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s)${stats}`);
  void endpoint.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
