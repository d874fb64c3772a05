import { fileTypeFromFile } from 'file-type';
import { open } from 'node:fs/promises';

const textProbeBytes = 64 * 1024;

/**
 * The content type of a file, from its bytes alone (the client's word is never taken): binary
 * formats by their signatures (file-type); otherwise UTF-8 without control bytes is text —
 * CSV when its first lines are delimited alike — and anything else is an opaque binary.
 * HTML and SVG are deliberately not recognised: they are served only as downloads.
 */
export async function sniffContentType(filePath: string): Promise<string> {
  const detected = await fileTypeFromFile(filePath);
  if (detected) return detected.mime;
  const handle = await open(filePath, 'r');
  try {
    const probe = Buffer.alloc(textProbeBytes);
    const { bytesRead } = await handle.read(probe, 0, textProbeBytes, 0);
    return textType(probe.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function textType(head: Buffer): string {
  if (head.length === 0) return 'application/octet-stream';
  // A probe may end inside a multi-byte character: judge only up to the last line break.
  const cut = head.lastIndexOf(0x0a);
  const whole = cut > 0 && head.length === textProbeBytes ? head.subarray(0, cut) : head;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(whole);
  } catch {
    return 'application/octet-stream';
  }
  // Control characters other than tab, line feed, carriage return and form feed: not text.
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return 'application/octet-stream';
  if (/^\s*<(!doctype|html|head|body|script|svg|\?xml)/i.test(text)) return 'text/html';
  return looksLikeCsv(text) ? 'text/csv' : 'text/plain';
}

function looksLikeCsv(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0).slice(0, 10);
  if (lines.length < 2) return false;
  for (const delimiter of [',', ';', '\t']) {
    const counts = lines.map((line) => line.split(delimiter).length - 1);
    if (counts[0] > 0 && counts.every((count) => count === counts[0])) return true;
  }
  return false;
}

/** Types a browser may show inline (raster images); everything else is served as a download. */
export const inlineTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);
