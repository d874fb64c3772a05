import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** Python moto's S3-compatible server; the machine image has it, Debian does not package it. */
export const motoServerBinary = process.env.MOTO_SERVER_BIN ?? '/root/.pyenv/shims/moto_server';

export interface S3ServerProcess {
  endpoint: string;
  /** moto accepts any credentials; these are what clients send. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

export const motoServerAvailable = (): boolean => existsSync(motoServerBinary);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A local S3-compatible server of the test's own (moto_server on a random port), ready when
 * it answers HTTP. Retries another port when the one picked was taken in between.
 */
export async function startS3Server(): Promise<S3ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(motoServerBinary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const endpoint = `http://127.0.0.1:${port}`;
    const ready = await waitUntilServing(endpoint, child);
    if (ready) {
      return {
        endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        stop: () => stop(child),
      };
    }
    await stop(child);
    if (attempt >= 3) throw new Error(`moto_server did not start: ${stderr}`);
  }
}

async function waitUntilServing(endpoint: string, child: ChildProcess): Promise<boolean> {
  // moto is Python: starting takes a few seconds on a busy machine; give up only when it exits.
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
