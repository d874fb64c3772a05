import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const pdftoppmBinary = process.env.PDFTOPPM_BIN ?? '/usr/bin/pdftoppm';
const prlimitBinary = '/usr/bin/prlimit';

export const pdfPreviewsAvailable = (): boolean => existsSync(pdftoppmBinary);

/**
 * Renders the first page of a PDF to `<outPrefix>.png` with Debian's poppler-utils, in a child
 * process with a deadline (killed at once past it) and an address-space cap (prlimit), so a
 * hostile PDF can neither hang the worker nor eat the machine's memory.
 */
export function renderFirstPage(pdfPath: string, outPrefix: string, options: { timeoutMs: number; memoryBytes: number }): Promise<string> {
  if (!pdfPreviewsAvailable()) {
    return Promise.reject(new Error('pdftoppm is not installed (Debian: apt-get install poppler-utils)'));
  }
  const args = ['-f', '1', '-l', '1', '-singlefile', '-png', '-scale-to', '1600', pdfPath, outPrefix];
  const [command, commandArgs] = existsSync(prlimitBinary)
    ? [prlimitBinary, [`--as=${options.memoryBytes}`, '--', pdftoppmBinary, ...args]]
    : [pdftoppmBinary, args];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 }, (error, _stdout, stderr) => {
      if (error) {
        const why = error.killed ? `took longer than ${options.timeoutMs} ms` : (stderr.trim().split('\n').pop() ?? error.message);
        reject(new Error(`PDF first page failed: ${why}`));
      } else resolve(`${outPrefix}.png`);
    });
  });
}
