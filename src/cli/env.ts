/**
 * The real process behind the commands: stdout/stderr, and the database and change feed named by the
 * configuration (the same ones the daemon uses), opened by the composition root (src/app/cli-store.ts).
 */
import type { CliEnv } from './common.js';

export const processEnv: CliEnv = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  async openStore(configFile) {
    const { openCliStore } = await import('../app/cli-store.js');
    return openCliStore(configFile);
  },
};
