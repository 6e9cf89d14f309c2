// A store found empty where another one was before (DATA_DIR removed, or wiped by the host) is
// logged as an error at startup; a first start, or a start on the same store, says nothing of the kind.
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import type { StoreLogLevel } from '../../src/store/database';
import { markerPath } from '../../src/store/storeIdentity';

interface Line {
  level: StoreLogLevel;
  msg: string;
}

async function start(dataDir: string): Promise<Line[]> {
  const lines: Line[] = [];
  const store = await openStore({ dataDir, log: (level, msg) => lines.push({ level, msg }) });
  await store.close();
  return lines;
}

const errors = (lines: Line[]) => lines.filter((l) => l.level === 'error').map((l) => l.msg);

describe('a store found empty where another was', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'pgroup-identity-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('is logged loudly at startup when DATA_DIR was removed since the last run', async () => {
    const dataDir = join(parent, 'data');
    const first = await start(dataDir);
    expect(errors(first)).toEqual([]);
    expect(first.map((l) => l.msg).join('\n')).toContain('a new, empty store');
    const marker = JSON.parse(readFileSync(markerPath(dataDir), 'utf8')) as { installId: string };

    // The same store again: nothing to say.
    expect(errors(await start(dataDir))).toEqual([]);

    rmSync(dataDir, { recursive: true, force: true });
    const afterLoss = await start(dataDir);
    expect(errors(afterLoss)).toHaveLength(1);
    expect(errors(afterLoss)[0]).toContain(`DATA_DIR (${dataDir}) was EMPTY`);
    expect(errors(afterLoss)[0]).toContain(marker.installId);
    expect(errors(afterLoss)[0]).toContain('previews, history, undo snapshots and watch lists are gone');

    // Said once: the marker now names the new store.
    expect(errors(await start(dataDir))).toEqual([]);
  });

  it('warns when DATA_DIR holds another existing store than the one that lived there', async () => {
    const dataDir = join(parent, 'data');
    const other = join(parent, 'other');
    await start(dataDir);
    await start(other);
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(other, dataDir);
    const lines = await start(dataDir);
    expect(errors(lines)).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringContaining('the data directory was replaced')]);
  });
});
