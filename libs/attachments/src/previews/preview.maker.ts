import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import sharp from 'sharp';
import { type BlobStore, blobKey } from '../storage/blob.store';
import { renderFirstPage } from './pdf.first-page';

// What sharp's prebuilt libvips decodes. HEIC/HEIF from phones is not among them: its HEVC
// decoder is left out of the prebuilt binaries (patents), so those get an icon.
const pictureTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);
const textTypes = new Set(['text/plain', 'text/csv']);
const textLines = 20;
const textChars = 4000;

export interface PreviewSettings {
  timeoutMs: number;
  /** Address space a PDF renderer may take. */
  pdfMemoryBytes: number;
}

type Outcome = { kind: 'image' } | { kind: 'text'; text: string } | { kind: 'icon'; note?: string };

/**
 * Makes the preview of one content of an organisation, off the request path: images become a
 * thumbnail and a phone-sized WebP (orientation applied, EXIF and every other metadata left
 * out); a PDF's first page likewise; text and CSV their first lines; anything else an icon.
 */
export class PreviewMaker {
  constructor(
    private readonly pool: Pool,
    private readonly store: BlobStore,
    private readonly settings: PreviewSettings,
  ) {}

  async make(orgId: string, sha256: string): Promise<void> {
    const { rows } = await this.pool.query<{ content_type: string }>(
      `SELECT content_type FROM attachment_blobs WHERE org_id = $1 AND sha256 = $2 AND erased_at IS NULL AND preview_status = 'pending'`,
      [orgId, sha256],
    );
    if (rows.length === 0) return;
    const started = performance.now();
    const work = await mkdtemp(path.join(tmpdir(), 'preview-'));
    let outcome: Outcome;
    let error: string | undefined;
    try {
      const original = path.join(work, 'original');
      const opened = await this.store.open(blobKey(orgId, sha256));
      if (!opened) return;
      await pipeline(opened.body, createWriteStream(original));
      outcome = await this.preview(rows[0].content_type, original, work, orgId, sha256);
    } catch (failure) {
      error = (failure as Error).message.slice(0, 500);
      outcome = { kind: 'icon' };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    await this.pool.query(
      `UPDATE attachment_blobs SET preview_status = $3, preview_kind = $4, preview_text = $5, preview_error = $6, preview_ms = $7
       WHERE org_id = $1 AND sha256 = $2 AND erased_at IS NULL`,
      [
        orgId,
        sha256,
        error ? 'failed' : 'ready',
        outcome.kind,
        outcome.kind === 'text' ? outcome.text : null,
        error ?? (outcome.kind === 'icon' ? (outcome.note ?? null) : null),
        Math.round(performance.now() - started),
      ],
    );
  }

  private async preview(contentType: string, file: string, work: string, orgId: string, sha256: string): Promise<Outcome> {
    if (pictureTypes.has(contentType)) {
      await this.pictures(file, work, orgId, sha256);
      return { kind: 'image' };
    }
    if (contentType === 'application/pdf') {
      const page = await renderFirstPage(file, path.join(work, 'page'), { timeoutMs: this.settings.timeoutMs, memoryBytes: this.settings.pdfMemoryBytes });
      await this.pictures(page, work, orgId, sha256);
      return { kind: 'image' };
    }
    if (textTypes.has(contentType)) return { kind: 'text', text: await firstLines(file) };
    if (contentType === 'image/heic' || contentType === 'image/heif') {
      return { kind: 'icon', note: 'HEIC pictures are not decoded here (no HEVC decoder in the prebuilt image library).' };
    }
    return { kind: 'icon' };
  }

  private async pictures(file: string, work: string, orgId: string, sha256: string): Promise<void> {
    const timeout = { seconds: Math.max(1, Math.ceil(this.settings.timeoutMs / 1000)) };
    // rotate() with no angle applies the EXIF orientation; sharp writes no metadata unless asked.
    const source = () => sharp(file, { limitInputPixels: 100_000_000, animated: false }).rotate().timeout(timeout);
    const variants = [
      { name: 'thumb', width: 320, height: 320, quality: 70 },
      { name: 'phone', width: 1080, height: 1920, quality: 80 },
    ];
    for (const variant of variants) {
      const out = path.join(work, `${variant.name}.webp`);
      await source().resize(variant.width, variant.height, { fit: 'inside', withoutEnlargement: true }).webp({ quality: variant.quality }).toFile(out);
      await this.store.put(blobKey(orgId, sha256, variant.name), out, 'image/webp');
    }
  }
}

async function firstLines(file: string): Promise<string> {
  const lines: string[] = [];
  let chars = 0;
  const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8', end: 64 * 1024 }), crlfDelay: Infinity });
  for await (const line of reader) {
    lines.push(line.slice(0, 500));
    chars += line.length;
    if (lines.length >= textLines || chars >= textChars) break;
  }
  reader.close();
  return lines.join('\n').slice(0, textChars);
}
