import fs from 'node:fs';
import NodeModule from 'node:module';
import type { PGliteOptions } from '@electric-sql/pglite';

// Types by file path: this project's moduleResolution (node) does not read the package's subpath exports.
type NodeFsModule = typeof import('@electric-sql/pglite/dist/fs/nodefs');

/** Emscripten's Node filesystem inside PGlite: only what the fsync operation needs. */
interface EmscriptenNodeFs {
  stream_ops?: { fsync?: (stream: { nfd: number }) => number };
  tryFSOperation?: <T>(operation: () => T) => T;
}

/** Loaded like PGlite itself (see loadPglite), so both come from Node's own loader. */
function loadNodeFs(): NodeFsModule {
  return new NodeModule.Module(__filename).require(require.resolve('@electric-sql/pglite/nodefs')) as NodeFsModule;
}

/**
 * PGlite options under which a commit is on the disk before it is confirmed, so it survives an
 * OS crash or power loss. PGlite itself cannot do this: it starts Postgres with `-F` (fsync off),
 * Emscripten's Node filesystem has no fsync operation (fsync() does nothing), and its fdatasync()
 * does nothing either. So fsync is turned on, the WAL is flushed with fsync() rather than
 * fdatasync(), and the filesystem gets the missing operation: a real fsync of the host file.
 * docs/BENCHMARKS.md ("Durability of the embedded store") has the strace evidence and the cost.
 */
export function pgliteSyncedDisk(dataDir: string, defaultStartParams: readonly string[]): Required<Pick<PGliteOptions, 'dataDir' | 'fs' | 'startParams'>> {
  const { NodeFS } = loadNodeFs();
  class SyncingNodeFS extends NodeFS {
    override async init(...args: Parameters<InstanceType<typeof NodeFS>['init']>) {
      const { emscriptenOpts } = await super.init(...args);
      const addFsync = (mod: { NODEFS?: EmscriptenNodeFs }) => {
        const ops = mod.NODEFS?.stream_ops;
        const asErrno = mod.NODEFS?.tryFSOperation;
        // Refuse to start rather than confirm writes that would silently not reach the disk.
        if (!ops || !asErrno) throw new Error('This PGlite build has no Node filesystem to sync: commits could not be made durable.');
        // A failed fsync reaches Postgres as an errno, and Postgres stops (PANIC) rather than confirm.
        ops.fsync = (stream) => {
          asErrno(() => fs.fsyncSync(stream.nfd));
          return 0;
        };
      };
      return { emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), addFsync] } };
    }
  }
  return {
    dataDir,
    fs: new SyncingNodeFS(dataDir),
    startParams: [...defaultStartParams.filter((param) => param !== '-F'), '-c', 'wal_sync_method=fsync'],
  };
}
