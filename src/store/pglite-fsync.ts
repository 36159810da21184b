/**
 * Durable commits on PGlite. PGlite 0.5 starts PostgreSQL with `-F` (fsync off), and Emscripten's NODEFS, which
 * maps the data directory onto the real files, has no fsync of its own: a commit is pwrite()n to the kernel
 * before the query returns (it survives the process being killed) but nothing ever asks the disk to keep it (a
 * power loss or kernel crash could take the last acknowledged commits — the accounting journal's included).
 *
 * So the embedded database starts with fsync on and `wal_sync_method = fsync` (PostgreSQL's fsync() reaches
 * Emscripten's fd_sync → the stream's `fsync`; its fdatasync and the open_*sync flags do nothing), and this file
 * system supplies that `fsync` as a real fsync(2) of the file. A commit is then on disk before it is
 * acknowledged, as with PostgreSQL; checkpoints sync the data files too.
 */
import { fsyncSync } from 'node:fs';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import type { PGlite } from '@electric-sql/pglite';

type InitOptions = Parameters<NodeFS['init']>[1];

/** The part of an Emscripten file stream this needs: NODEFS keeps the real descriptor in `nfd`. */
interface NodeStream {
  readonly nfd?: number;
}

interface StreamOps {
  fsync?: (stream: NodeStream) => number;
}

/** PGlite's start parameters with fsync on (PGlite's `-F` dropped) and the one sync method that reaches fsync(2). */
export function durableStartParams(params: readonly string[]): string[] {
  return [...params.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync'];
}

export class DurableNodeFS extends NodeFS {
  /** fsync(2) calls made for PostgreSQL (tests and the curious). */
  fsyncs = 0;

  override async init(pg: PGlite, opts: InitOptions): ReturnType<NodeFS['init']> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const preRun = [
      ...(emscriptenOpts.preRun ?? []),
      (mod: { NODEFS: unknown }) => {
        const ops = (mod.NODEFS as { stream_ops?: StreamOps } | undefined)?.stream_ops;
        // A PGlite whose Emscripten changed shape: refuse to run without durable commits rather than pretend.
        if (!ops) throw new Error('PGlite NODEFS has no stream_ops: cannot make commits durable with this PGlite version');
        ops.fsync = (stream) => {
          if (stream.nfd === undefined) return 0;
          fsyncSync(stream.nfd);
          this.fsyncs++;
          return 0;
        };
      },
    ];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } };
  }
}
