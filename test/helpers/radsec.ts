/**
 * RadSec and RADIUS/TCP in tests: certificates made with openssl into a temp dir, and a stream client of node:net /
 * node:tls that frames replies by their Length.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A second server certificate of the same CA (a renewal, for the reload test). */
  readonly serverCert2: string;
  readonly serverKey2: string;
  /** Client certificates: key and cert paths. */
  readonly good: { cert: string; key: string };
  readonly otherCa: { cert: string; key: string };
  readonly expired: { cert: string; key: string };
  readonly otherName: { cert: string; key: string };
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A key and a certificate signed by `ca`, with `subj` and the SANs, valid for `days` (-1: expired yesterday). */
function issue(dir: string, name: string, ca: string, subj: string, san: string | null, days = 30): { cert: string; key: string } {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
  const ext = ['-extfile', `${name}.ext`];
  writeFileSync(join(dir, `${name}.ext`), san ? `subjectAltName=${san}\n` : 'basicConstraints=CA:FALSE\n');
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', String(days), '-out', `${name}.pem`, ...ext]);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

function authority(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${name}`]);
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-radsec-'));
  authority(dir, 'ca');
  authority(dir, 'rogue-ca');
  const server = issue(dir, 'server', 'ca', '/CN=tollgate.test', 'DNS:tollgate.test,IP:127.0.0.1');
  const server2 = issue(dir, 'server2', 'ca', '/CN=tollgate-renewed.test', 'DNS:tollgate-renewed.test,IP:127.0.0.1');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    serverCert: server.cert,
    serverKey: server.key,
    serverCert2: server2.cert,
    serverKey2: server2.key,
    good: issue(dir, 'good', 'ca', '/CN=nas1.example.net', 'DNS:nas1.example.net,IP:127.0.0.1'),
    otherCa: issue(dir, 'other-ca', 'rogue-ca', '/CN=nas1.example.net', 'DNS:nas1.example.net'),
    expired: issue(dir, 'expired', 'ca', '/CN=nas1.example.net', 'DNS:nas1.example.net', -1),
    otherName: issue(dir, 'other-name', 'ca', '/CN=nas2.example.net', 'DNS:nas2.example.net,IP:192.0.2.9'),
  };
}

/** A RADIUS stream client: writes octets as given, reads replies framed by Length. */
export class StreamClient {
  private buf = Buffer.alloc(0);
  private readonly replies: Buffer[] = [];
  private waiting: ((b: Buffer) => void) | null = null;
  readonly closed: Promise<void>;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 4 && this.buf.length >= this.buf.readUInt16BE(2)) {
        const len = this.buf.readUInt16BE(2);
        const reply = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w(reply);
        } else this.replies.push(reply);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply, or a rejection after `timeoutMs`. */
  next(timeoutMs = 3000): Promise<Buffer> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error('no reply'));
      }, timeoutMs);
      this.waiting = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
    });
  }

  /** Whether the server closes the connection within `ms`. */
  async closesWithin(ms: number): Promise<boolean> {
    return Promise.race([this.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function tcpConnect(port: number, host = '127.0.0.1', localAddress?: string): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () => resolve(new StreamClient(s)));
    s.once('error', reject);
  });
}

/**
 * A TLS client with `cert`. Resolves once the handshake completed on the client's side; with TLS 1.3 the server
 * may still refuse the certificate after that (the connection then closes: see StreamClient.closed).
 */
export function tlsConnect(port: number, pki: Pki, cert: { cert: string; key: string } | null, options: tls.ConnectionOptions & { localAddress?: string } = {}): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(
      {
        port,
        host: '127.0.0.1',
        ca: readFileSync(pki.ca),
        ...(cert ? { cert: readFileSync(cert.cert), key: readFileSync(cert.key) } : {}),
        servername: 'tollgate.test',
        ...options,
      },
      () => resolve(new StreamClient(s)),
    );
    s.once('error', reject);
  });
}
