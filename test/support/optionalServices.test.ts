import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, reportMissingServices, runningOnCi } from './optionalServices';

let dir: string;
let fakeChromium: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgroup-services-'));
  fakeChromium = join(dir, 'chromium');
  writeFileSync(fakeChromium, '#!/bin/sh\n', { mode: 0o755 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nowhere = '/nonexistent/chromium';

it('finds Chromium through CHROMIUM_PATH or on the PATH, and nowhere else', () => {
  expect(chromiumPath({ CHROMIUM_PATH: fakeChromium })).toBe(fakeChromium);
  expect(chromiumPath({ PATH: `/nonexistent:${dir}` })).toBe(fakeChromium);
  expect(chromiumPath({ CHROMIUM_PATH: nowhere, PATH: dir })).toBeNull();
  expect(chromiumPath({ PATH: '/nonexistent' })).toBeNull();
});

it('says in one line each which part of the suite is skipped, and why', () => {
  const lines = reportMissingServices({ CHROMIUM_PATH: nowhere });
  expect(lines).toEqual([
    `Browser tests skipped: CHROMIUM_PATH=${nowhere} is not an executable file.`,
    expect.stringMatching(/^PostgreSQL half skipped: DATABASE_URL is not set/),
  ]);
  expect(reportMissingServices({ CHROMIUM_PATH: fakeChromium, DATABASE_URL: 'postgres://localhost/x' })).toEqual([]);
});

it('fails under CI when a service is missing, naming it', () => {
  expect(runningOnCi({ CI: 'true' })).toBe(true);
  expect(runningOnCi({ CI: 'false' })).toBe(false);
  expect(runningOnCi({})).toBe(false);
  expect(() => reportMissingServices({ CI: 'true', CHROMIUM_PATH: nowhere, DATABASE_URL: 'postgres://localhost/x' })).toThrow(
    /CI=true.*browser tests: CHROMIUM_PATH=\/nonexistent\/chromium is not an executable file/,
  );
  expect(() => reportMissingServices({ CI: 'true', CHROMIUM_PATH: fakeChromium })).toThrow(/postgresql half: DATABASE_URL is not set/);
  expect(reportMissingServices({ CI: 'true', CHROMIUM_PATH: fakeChromium, DATABASE_URL: 'postgres://localhost/x' })).toEqual([]);
});
