// How a new embedded store comes into being in DATA_DIR: from the template, extracted beside its
// place and renamed into it, so a start killed half-way leaves nothing half-made; and how stores
// made before DATA_DIR/pglite, with the database in DATA_DIR itself, keep opening.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import type { StoreLog } from '../../src/store/database';
import { openStore } from '../../src/store/index';
import { MIGRATIONS } from '../../src/store/migrations';
import { defaultTemplateDir, findPgliteTemplate, installedPgliteVersion, schemaFingerprint, templateFileName } from '../../src/store/pgliteTemplate';
import { eventually } from '../support/eventually';

const DIST_STORE = join(__dirname, '../../dist/src/store/index.js');

let scratch: string;
let template: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'pgroup-datadir-'));
  const lookup = findPgliteTemplate(defaultTemplateDir());
  if (!lookup.found) throw new Error(`the test setup builds the template, but: ${lookup.reason}`);
  template = lookup.file;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function recorder(): { log: StoreLog; lines: string[] } {
  const lines: string[] = [];
  return { log: (level, msg) => lines.push(`${level} ${msg}`), lines };
}

const newDir = (name: string) => join(scratch, name);

describe('a first start on an empty DATA_DIR', () => {
  it('extracts the template into DATA_DIR/pglite and applies no migration of its own', async () => {
    const dataDir = newDir('first');
    const { log, lines } = recorder();
    const store = await openStore({ dataDir, log });
    await store.close();
    expect(lines).toContain(`info store: new database in ${join(dataDir, 'pglite')} (from the PGlite template)`);
    // The template already holds every migration; initdb's path would have applied them here.
    expect(lines.filter((l) => l.includes('applied schema migration'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    expect(readdirSync(dataDir)).toEqual(['pglite']);
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

    // A second start opens it as it is.
    const again = recorder();
    await (await openStore({ dataDir, log: again.log })).close();
    expect(again.lines.filter((l) => l.includes('new database'))).toEqual([]);
  });

  it('in memory (every store the tests open) starts from the same template', async () => {
    const { log, lines } = recorder();
    const store = await openStore({ log });
    await store.close();
    expect(lines).toEqual(['info store: ready (PGlite in memory)']);
  });
});

/** A template as big as it takes for the extraction to be caught in the act: the real one plus a 64 MB file first. */
async function slowTemplate(): Promise<string> {
  const contents = newDir('slow-contents');
  mkdirSync(contents);
  await tar.x({ file: template, cwd: contents, onwarn: () => {} });
  // Named to come first, so the kill lands while it is written, before any of the database.
  writeFileSync(join(contents, '00-padding'), Buffer.alloc(64 * 1024 * 1024));
  const dir = newDir('slow-template');
  mkdirSync(dir);
  const entries = readdirSync(contents).sort();
  await tar.c({ gzip: true, file: join(dir, templateFileName(installedPgliteVersion(), schemaFingerprint())), cwd: contents }, entries);
  return dir;
}

function startInChild(dataDir: string, templateDir: string): ChildProcess {
  const script = `require(${JSON.stringify(DIST_STORE)}).openStore({ dataDir: ${JSON.stringify(dataDir)}, pgliteTemplate: { dir: ${JSON.stringify(templateDir)} } })`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

describe('a first start killed during the extraction', () => {
  it('leaves no half-made database, and the next start cleans up and makes a whole one', async () => {
    const templateDir = await slowTemplate();
    const dataDir = newDir('killed');
    const child = startInChild(dataDir, templateDir);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const incomplete = await eventually(
      () => existsSync(dataDir) && readdirSync(dataDir).find((name) => name.startsWith('.pglite-incomplete-') && readdirSync(join(dataDir, name)).length > 0),
      'the extraction to begin',
      20_000,
    );
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(dataDir)).toEqual([incomplete]);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);

    const { log, lines } = recorder();
    const store = await openStore({ dataDir, log });
    await store.close();
    expect(lines).toContain(`info store: removed ${incomplete}, left by a first start that did not finish`);
    expect(lines).toContain(`info store: new database in ${join(dataDir, 'pglite')} (from the PGlite template)`);
    expect(readdirSync(dataDir)).toEqual(['pglite']);
  }, 60_000);
});

describe('without a usable template', () => {
  it('says why in one line and runs initdb when the template is for another PGlite', async () => {
    const templateDir = newDir('other-version');
    mkdirSync(templateDir);
    copyFileSync(template, join(templateDir, templateFileName('0.0.1', schemaFingerprint())));
    const { log, lines } = recorder();
    const store = await openStore({ log, pgliteTemplate: { dir: templateDir } });
    await store.close();
    const warnings = lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toEqual([
      `warn store: the PGlite template in ${templateDir} is for PGlite 0.0.1, not the installed ${installedPgliteVersion()}; a new database runs initdb instead (slower, more memory)`,
    ]);
    // initdb made an empty database, so every migration ran here.
    expect(lines.filter((l) => l.includes('applied schema migration'))).toHaveLength(MIGRATIONS.length);
  }, 60_000);

  it('names what is missing when there is none', () => {
    const empty = newDir('no-template');
    expect(findPgliteTemplate(empty)).toEqual({ found: false, reason: expect.stringMatching(/^no PGlite template for PGlite \S+ and this schema in .*no-template \(npm run build makes one\)$/) });
    mkdirSync(empty);
    copyFileSync(template, join(empty, templateFileName(installedPgliteVersion(), 'f'.repeat(12))));
    // A template of another schema is never used: it could hold tables this release does not know.
    expect(findPgliteTemplate(empty).found).toBe(false);
  });
});

describe('DATA_DIR as it was before DATA_DIR/pglite', () => {
  it('opens a database kept in DATA_DIR itself where it is, with its data', async () => {
    const dataDir = newDir('old-layout');
    mkdirSync(dataDir);
    // What PGlite made there before: its data directory is DATA_DIR.
    await tar.x({ file: template, cwd: dataDir, onwarn: () => {} });
    const before = readdirSync(dataDir).sort();

    const subscription = { teamId: 'T1', channelId: 'C_OLD', groupId: 'g-old-layout', groupName: 'Kept', createdBy: 'U1' };
    const first = await openStore({ dataDir });
    expect(await first.subscribe(subscription)).toBe(true);
    await first.close();
    expect(readdirSync(dataDir).sort()).toEqual(before);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);

    const second = await openStore({ dataDir });
    expect(await second.listSubscriptions({ channelId: 'C_OLD' })).toEqual([expect.objectContaining(subscription)]);
    await second.close();
  });

  it('refuses a DATA_DIR/pglite that holds files but no database, saying what to do', async () => {
    const dataDir = newDir('stray');
    mkdirSync(join(dataDir, 'pglite'), { recursive: true });
    writeFileSync(join(dataDir, 'pglite', 'notes.txt'), 'not a database');
    await expect(openStore({ dataDir })).rejects.toThrow(`${join(dataDir, 'pglite')} holds files but no PostgreSQL database (no PG_VERSION); move it away to start a new store.`);
  });
});
