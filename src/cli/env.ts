/**
 * The real process behind the commands: stdout/stderr/stdin, the OS user, and the database and change feed named by the
 * configuration (the same ones the daemon uses), opened by the composition root (src/app/cli-store.ts).
 */
import type { CliEnv } from './common.js';

export const processEnv: CliEnv = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  user: process.env.USER ?? 'cli',
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  },
  async openStore(configFile) {
    const { openCliStore } = await import('../app/cli-store.js');
    return openCliStore(configFile);
  },
};
