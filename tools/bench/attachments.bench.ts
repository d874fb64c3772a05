import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AttachmentsModule } from '@taskinbox/attachments';
import { IngestModule } from '@taskinbox/ingest';
import { call, dropQueue, prepareTemplateDatabase, startRunNats, startTestApp, stopRunNats } from '@taskinbox/testing';

// Upload throughput (multipart, through sniffing, hashing, the store and the event append) and
// preview latency (upload answered → preview ready), beside the raw disk write speed of the same
// directory measured in this run: the gap is what the HTTP path and bookkeeping cost per byte.
const queueName = `attachments-bench-${randomBytes(4).toString('hex')}`;
const fileBytes = Number(process.env.BENCH_FILE_BYTES ?? 4 * 1024 * 1024);
const files = Number(process.env.BENCH_FILES ?? 20);
const previews = Number(process.env.BENCH_PREVIEWS ?? 10);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const mbps = (bytes: number, ms: number) => Math.round((bytes / 1024 / 1024 / (ms / 1000)) * 10) / 10;

async function rawDiskWrite(dir: string): Promise<number> {
  const chunk = randomBytes(1024 * 1024);
  const target = path.join(dir, 'raw-write.bin');
  const started = performance.now();
  for (let i = 0; i < files; i++) {
    const handle = await open(target, 'w');
    for (let written = 0; written < fileBytes; written += chunk.length) await handle.write(chunk, 0, Math.min(chunk.length, fileBytes - written));
    await handle.sync();
    await handle.close();
  }
  const ms = performance.now() - started;
  await rm(target, { force: true });
  return mbps(files * fileBytes, ms);
}

async function main(): Promise<void> {
  await Promise.all([prepareTemplateDatabase(), startRunNats()]);
  const t = await startTestApp({ imports: [IngestModule, AttachmentsModule.forRoot({ queueName })], env: { ATTACHMENTS_MAX_FILE_BYTES: String(fileBytes * 2) } });
  const org = await t.createOrganisation('bench');
  const taskId = await org.createTask('bench');
  const upload = async (name: string, bytes: Buffer) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)]), name);
    const response = await fetch(`${t.url}/api/tasks/${taskId}/attachments/upload`, { method: 'POST', headers: { authorization: `Bearer ${org.tokens.service}` }, body: form });
    if (response.status !== 201) throw new Error(`upload ${response.status}: ${await response.text()}`);
    return (await response.json()) as { id: string };
  };

  // Throughput: distinct random files one after another (no dedupe shortcut).
  const bodies = Array.from({ length: files }, () => randomBytes(fileBytes));
  const started = performance.now();
  for (const [i, bytes] of bodies.entries()) await upload(`f${i}.bin`, bytes);
  const uploadMbps = mbps(files * fileBytes, performance.now() - started);

  // Preview latency: a fresh 3000×2000 JPEG each, timed from the upload's answer to preview ready.
  const latencies: number[] = [];
  for (let i = 0; i < previews; i++) {
    const jpeg = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: i * 20, g: 80, b: 160 } } }).jpeg().toBuffer();
    const { id } = await upload(`p${i}.jpg`, jpeg);
    const answered = performance.now();
    for (;;) {
      const view = await call(t.url, 'GET', `/api/attachments/${id}`, { token: org.tokens.service });
      if (view.body.preview.status !== 'pending') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    latencies.push(performance.now() - answered);
  }
  const { rows } = await t.pool.query<{ ms: number }>(`SELECT preview_ms AS ms FROM attachment_blobs WHERE content_type = 'image/jpeg'`);
  const rawMbps = await rawDiskWrite(t.config.attachments.dir);

  console.table({
    [`upload throughput MB/s (${files} × ${fileBytes / 1024 / 1024} MiB, multipart)`]: { value: uploadMbps },
    'raw disk write MB/s (same dir, same sizes, fsync)': { value: rawMbps },
    'preview latency p50 ms (3000×2000 JPEG, answer → ready)': { value: Math.round(percentile(latencies, 0.5)) },
    'preview latency p99 ms': { value: Math.round(percentile(latencies, 0.99)) },
    'preview work p50 ms (inside the job)': { value: percentile(rows.map((r) => r.ms), 0.5) },
  });
  await t.close();
  await dropQueue(queueName);
  await stopRunNats();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
