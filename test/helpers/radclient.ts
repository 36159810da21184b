/** Runs FreeRADIUS's radclient/radtest against the daemon and parses what they print. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const haveRadclient = existsSync('/usr/bin/radclient') && existsSync('/usr/share/freeradius/dictionary');

export interface RadclientReply {
  readonly code: string | null;
  readonly attributes: ReadonlyMap<string, string[]>;
  readonly output: string;
}

function parse(output: string): RadclientReply {
  const code = /Received (\S+) Id/.exec(output)?.[1] ?? null;
  const attributes = new Map<string, string[]>();
  const received = output.split(/^Received .*$/m)[1] ?? '';
  for (const line of received.split('\n')) {
    const m = /^\s+([\w-]+(?::\d+)?) = (.*)$/.exec(line);
    if (!m) continue;
    const list = attributes.get(m[1] as string) ?? [];
    list.push((m[2] as string).replace(/^"(.*)"$/, '$1'));
    attributes.set(m[1] as string, list);
  }
  return { code, attributes, output };
}

function run(cmd: string, args: string[], input?: string): Promise<RadclientReply> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 10_000 }, (_err, stdout, stderr) => resolve(parse(`${stdout}\n${stderr}`)));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `radclient -x` style call: attributes as FreeRADIUS text, one request. */
export function radclient(server: string, command: 'auth' | 'acct' | 'status', secret: string, attributes: string, extra: string[] = []): Promise<RadclientReply> {
  return run('radclient', ['-r', '1', '-t', '2', ...extra, server, command, secret], attributes);
}

export function radtest(type: 'pap' | 'chap', user: string, password: string, server: string, secret: string): Promise<RadclientReply> {
  return run('radtest', ['-t', type, user, password, server, '0', secret]);
}
