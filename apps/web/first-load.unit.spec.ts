import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

// The first-load script budget (issue 18): what a phone downloads, brotli-compressed as the server
// sends it, before the sign-in page or the inbox can show. The SPA is built here, into a folder of
// its own, so the figure is of the current source and never of a stale dist/web.
const budgetBytes = 120 * 1024;

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}
type Manifest = Record<string, Chunk>;

let out: string;
let manifest: Manifest;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'taskinbox-web-'));
  execFileSync(
    process.execPath,
    [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'],
    // Jest sets NODE_ENV=test, which would build React's development files.
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  manifest = JSON.parse(fs.readFileSync(path.join(out, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}, 180_000);
afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

/** The script files the browser fetches before a page shows: its chunk and all it imports statically. */
function firstLoad(...keys: string[]): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return [...files];
}

/** Bytes on the wire: the .br the build wrote beside the file, as the server sends it. */
function brotliBytes(files: string[]): number {
  return files.reduce((sum, file) => sum + fs.statSync(path.join(out, `${file}.br`)).size, 0);
}

it('builds the pages as chunks of their own, so one page does not carry another', () => {
  const entry = firstLoad('index.html');
  for (const page of ['src/stats/stats.page.tsx', 'src/admin/admin.page.tsx', 'src/devices/devices.page.tsx', 'src/tasks/task.page.tsx']) {
    expect(entry).not.toContain(manifest[page].file);
  }
  // The schema-driven payload form, its validator and the upload client come with the pages that
  // use them only (told by the sources each chunk's source map lists).
  const heavy = /node_modules\/(@rjsf\/|@cfworker\/json-schema|tus-js-client)/;
  const packagesOf = (files: string[]) =>
    files.flatMap((file) => (JSON.parse(fs.readFileSync(path.join(out, `${file}.map`), 'utf8')) as { sources: string[] }).sources).filter((source) => heavy.test(source));
  const scripts = Object.values(manifest).filter((chunk) => chunk.file.endsWith('.js'));
  expect(packagesOf(scripts.map((chunk) => chunk.file)).length).toBeGreaterThan(0);
  expect(packagesOf(firstLoad('index.html', 'src/session/login.page.tsx'))).toEqual([]);
  expect(packagesOf(firstLoad('index.html', 'src/inbox/inbox.page.tsx'))).toEqual([]);
});

it.each([
  ['the sign-in page', 'src/session/login.page.tsx'],
  ['the inbox', 'src/inbox/inbox.page.tsx'],
])('loads %s with at most 120 KiB of brotli script', (_, page) => {
  const files = firstLoad('index.html', page);
  const bytes = brotliBytes(files);
  console.log(`${page}: ${files.length} scripts, ${(bytes / 1024).toFixed(1)} KiB brotli (budget ${budgetBytes / 1024} KiB)`);
  expect(bytes).toBeLessThanOrEqual(budgetBytes);
});

it('writes each .br as the brotli of its file, so the budget counts what is sent', () => {
  const file = manifest['index.html'].file;
  const plain = fs.readFileSync(path.join(out, file));
  const sent = fs.readFileSync(path.join(out, `${file}.br`));
  expect(sent.length).toBeLessThan(plain.length / 2);
  // Quality 11 here too: the precompressed file is as small as brotli makes it.
  expect(sent.length).toBeLessThanOrEqual(
    brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
  );
});
