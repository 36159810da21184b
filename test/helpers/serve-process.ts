/**
 * `tollgate serve` as a child process (the built dist/), for tests that need the real cluster: its JSON log lines
 * are parsed as they arrive, and `started` resolves with the ports of the "tollgate started" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServeProcess<Ports> {
  readonly child: ChildProcess;
  /** The ports the "tollgate started" line names; rejects after `timeoutMs`. */
  readonly started: Promise<Ports>;
}

/** Spawns `dist/src/cli.js serve --config configPath` under `root`; `onLine` sees every log line, in order. */
export function spawnServe<Ports>(root: string, configPath: string, options: { timeoutMs: number; onLine?: (line: Record<string, unknown>) => void }): ServeProcess<Ports> {
  const child = spawn(process.execPath, [join(root, 'dist/src/cli.js'), 'serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<Ports>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('daemon did not start')), options.timeoutMs);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) {
        const line = JSON.parse(part) as Record<string, unknown>;
        options.onLine?.(line);
        if (line.msg === 'tollgate started' && line.ports) {
          clearTimeout(timer);
          resolve(line.ports as Ports);
        }
      }
    });
  });
  return { child, started };
}
