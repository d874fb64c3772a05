import { execFile, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// npm run bench [-- name …]: runs every bench (or the named ones) one after another, each in a
// process of its own so one's leftovers never slow the next, echoes what each prints and writes
// docs/benchmarks.md: the machine, then each bench's own lines verbatim (every figure is printed
// there beside the raw limit measured in the same run, so the ratios travel with it).

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const benches = ['ingest', 'read', 'webhooks', 'lighthouse', 'inbox-render', 'metrics', 'long-stream', 'auth', 'attachments', 'devices'] as const;

interface Outcome {
  name: string;
  code: number | null;
  seconds: number;
  loadBefore: string;
  output: string;
}

async function version(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { timeout: 10_000 });
    return (stdout || stderr).trim().split('\n')[0];
  } catch {
    return 'not found';
  }
}

async function machine(): Promise<string[]> {
  const cores = cpus();
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const { stdout: commit } = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).catch(() => ({ stdout: 'unknown' }));
  return [
    `- CPU: ${cores.length} × ${cores[0]?.model ?? 'unknown'}`,
    `- Memory: ${gib(totalmem())} (${gib(freemem())} free at start)`,
    `- Kernel: Linux ${release()}`,
    `- Node: ${process.version}`,
    `- PostgreSQL: ${await version('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'show server_version'])}`,
    `- Redis: ${await version('redis-server', ['--version'])}`,
    `- NATS: ${await version('/usr/sbin/nats-server', ['--version'])}`,
    `- Chromium: ${await version('/usr/bin/chromium', ['--version'])}`,
    `- Commit: ${commit.trim()}`,
  ];
}

function runBench(name: string): Promise<Outcome> {
  const loadBefore = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', join(__dirname, `${name}.bench.js`)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (chunk: Buffer, to: NodeJS.WriteStream) => {
      output += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => take(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => take(chunk, process.stderr));
    child.on('close', (code) => resolve({ name, code, seconds: (performance.now() - started) / 1000, loadBefore, output }));
  });
}

function markdown(about: string[], outcomes: Outcome[], startedAt: Date): string {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${startedAt.toISOString()}. Each bench ran alone, one after another;`,
    'each figure is printed beside the raw limit measured in the same run, so compare within a run only.',
    '',
    '## Machine',
    '',
    ...about,
    '',
  ];
  for (const outcome of outcomes) {
    const verdict = outcome.code === 0 ? '' : ` — **failed** (exit ${outcome.code})`;
    lines.push(
      `## ${outcome.name}${verdict}`,
      '',
      `\`npm run bench:${outcome.name === 'inbox-render' ? 'web' : outcome.name}\`; ${outcome.seconds.toFixed(0)} s; load average before: ${outcome.loadBefore}.`,
      '',
      '```text',
      // Progress lines a bench rewrites in place would be noise here.
      outcome.output.replace(/\r[^\n]*/g, '').trimEnd(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(benches as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`No bench named ${unknown.join(', ')}; there are: ${benches.join(', ')}.`);
  const chosen = (asked.length > 0 ? asked : [...benches]).filter((name) => existsSync(join(__dirname, `${name}.bench.js`)));
  const startedAt = new Date();
  const about = await machine();
  console.log(about.join('\n'));
  const outcomes: Outcome[] = [];
  for (const name of chosen) {
    console.log(`\n== bench ${name}`);
    outcomes.push(await runBench(name));
  }
  const target = join(root, 'docs', 'benchmarks.md');
  writeFileSync(target, `${markdown(about, outcomes, startedAt)}\n`);
  console.log(`\nwrote ${target}`);
  if (outcomes.some((outcome) => outcome.code !== 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
