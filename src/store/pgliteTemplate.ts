// A pre-initialised PGlite data directory (initdb done, every migration applied), kept as a
// gzipped tarball so that a new embedded store is a ~40 MB extraction instead of initdb in
// WebAssembly (seconds of CPU and ~800 MB of memory in the process that runs it).
//
// It is cached, not shipped: `npm run build` (and the test suite's setup) makes it in a child
// process when none exists for the installed PGlite and the current migrations, so it is
// remade only when one of those changes, PGlite may take patch releases, and no binary is
// committed. The file's name carries both, so a template is never used with another PGlite
// nor with another schema; without a usable one the store runs initdb as before.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

/** Where the store finds (and the build puts) the template; `false` turns it off. */
export type PgliteTemplateChoice = { dir: string } | false;

/** The installed PGlite's entry point, as Node's own loader resolves it. */
export function pgliteEntry(): string {
  return require.resolve('@electric-sql/pglite');
}

export function installedPgliteVersion(): string {
  let dir = dirname(pgliteEntry());
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Changes whenever a migration is added or altered. */
export function schemaFingerprint(migrations: Migration[] = MIGRATIONS): string {
  return createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 12);
}

/** node_modules/.cache beside the installed PGlite: removed with node_modules, shared by app, tests and benchmarks. */
export function defaultTemplateDir(): string {
  const entry = pgliteEntry();
  const at = entry.lastIndexOf(`${sep}node_modules${sep}`);
  const base = at >= 0 ? entry.slice(0, at + `${sep}node_modules`.length) : dirname(entry);
  return join(base, '.cache', 'pgroup-pglite-template');
}

export function templateFileName(pgliteVersion: string, schema: string): string {
  return `pglite-${pgliteVersion}-schema-${schema}.tar.gz`;
}

const TEMPLATE_NAME = /^pglite-(.+)-schema-([0-9a-f]+)\.tar\.gz$/;

export type TemplateLookup = { found: true; file: string } | { found: false; reason: string };

/** The template for the installed PGlite and the current migrations, or why there is none. */
export function findPgliteTemplate(dir: string, pgliteVersion = installedPgliteVersion(), schema = schemaFingerprint()): TemplateLookup {
  const file = join(dir, templateFileName(pgliteVersion, schema));
  if (existsSync(file)) return { found: true, file };
  let others: string[] = [];
  try {
    others = readdirSync(dir).flatMap((name) => {
      const match = TEMPLATE_NAME.exec(name);
      return match && match[2] === schema && match[1] !== pgliteVersion ? [match[1]!] : [];
    });
  } catch {
    // No directory yet: nothing was ever built here.
  }
  return {
    found: false,
    reason:
      others.length > 0
        ? `the PGlite template in ${dir} is for PGlite ${others.join(', ')}, not the installed ${pgliteVersion}`
        : `no PGlite template for PGlite ${pgliteVersion} and this schema in ${dir} (npm run build makes one)`,
  };
}
