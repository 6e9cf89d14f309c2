// Makes a directory refuse new files for a while, as a read-only or full disk would: its mode is
// made read-only, and where that does not stop the writer (root ignores modes) it is made immutable
// (chattr +i). Throws when neither works here, rather than let a test pass for the wrong reason.
import { spawnSync } from 'node:child_process';
import { chmodSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function acceptsFiles(dir: string): boolean {
  const probe = join(dir, '.unwritable-check');
  try {
    writeFileSync(probe, 'x');
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** Makes `dir` refuse new files; returns the function that undoes it. */
export function makeUnwritable(dir: string): () => void {
  chmodSync(dir, 0o555);
  let immutable = false;
  if (acceptsFiles(dir)) {
    immutable = spawnSync('chattr', ['+i', dir]).status === 0;
  }
  const restore = () => {
    if (immutable) spawnSync('chattr', ['-i', dir]);
    chmodSync(dir, 0o755);
  };
  if (acceptsFiles(dir)) {
    restore();
    throw new Error(`cannot make ${dir} unwritable here (neither its mode nor chattr +i stops this user)`);
  }
  return restore;
}
