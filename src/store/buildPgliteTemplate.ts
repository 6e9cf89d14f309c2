// Makes the PGlite template (see pgliteTemplate.ts) when none exists for the installed PGlite
// and the current migrations. It runs as its own process (`node dist/src/store/buildPgliteTemplate.js`,
// from `npm run build` and the test suite's setup), so initdb's memory is never the app's.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { migrate } from './migrations';
import { loadPglite, pgliteOptions, wrapPglite } from './pgliteDatabase';
import { defaultTemplateDir, findPgliteTemplate, installedPgliteVersion, schemaFingerprint, templateFileName } from './pgliteTemplate';

export interface BuiltTemplate {
  file: string;
  /** False when an up-to-date template was already there. */
  built: boolean;
}

export async function buildPgliteTemplate(dir: string = defaultTemplateDir()): Promise<BuiltTemplate> {
  const version = installedPgliteVersion();
  const schema = schemaFingerprint();
  const existing = findPgliteTemplate(dir, version, schema);
  if (existing.found) return { file: existing.file, built: false };

  mkdirSync(dir, { recursive: true });
  const name = templateFileName(version, schema);
  const file = join(dir, name);
  const work = mkdtempSync(join(dir, '.build-'));
  try {
    // Made on disk and closed, not dumped while running: a clean shutdown leaves no WAL to
    // replay and no postmaster.pid in the template.
    const pgdata = join(work, 'pgdata');
    const { PGlite } = loadPglite();
    const pg = await PGlite.create({ ...pgliteOptions(PGlite), dataDir: pgdata });
    try {
      await migrate(wrapPglite(pg), () => {});
    } finally {
      await pg.close();
    }
    const partial = join(work, name);
    // portable: no owner or extended headers, which PGlite's own tar reader (in-memory stores) does not need.
    await tar.c({ gzip: true, portable: true, file: partial, cwd: pgdata }, readdirSync(pgdata).sort());
    renameSync(partial, file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Templates of other PGlite versions can never be used with this installation.
  for (const other of readdirSync(dir)) {
    if (other !== name && other.startsWith('pglite-') && !other.startsWith(`pglite-${version}-`)) rmSync(join(dir, other), { force: true });
  }
  return { file, built: true };
}

if (require.main === module) {
  const started = Date.now();
  buildPgliteTemplate(process.argv[2]).then(
    ({ file, built }) => {
      if (built) process.stdout.write(`PGlite template built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${file}\n`);
    },
    (err: unknown) => {
      // Without a template the store still works (by initdb), so the build goes on.
      process.stderr.write(`PGlite template not built (a new embedded store will run initdb): ${err instanceof Error ? err.message : String(err)}\n`);
    },
  );
}
